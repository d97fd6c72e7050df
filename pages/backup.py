"""备份与恢复 (admin): the database in use; download a verified snapshot of the whole database; the scheduled
backup; restore a snapshot."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import backup, backup_schedule, dbinfo
from analytics.accounts import User
from ui import auth, db
from ui.upload import BACKUP_TYPES, file_uploader

NOTICE_KEY = "backup_notice"
MADE_KEY = "backup_zip"        # (file name, bytes, manifest) of the snapshot made on this page
TABLE_LABELS = {"heroes": "英模人员", "deeds": "事迹", "recognitions": "表扬记录", "assistance": "帮扶优抚",
                "workstations": "工作站", "studios": "英模工作室", "activities": "活动记录", "users": "账号",
                "changes": "操作记录", "audit_log": "修改日志"}


def manifest_table(manifest: dict) -> pd.DataFrame:
    rows = [{"内容": TABLE_LABELS[t], "行数": manifest["tables"][t]} for t in TABLE_LABELS if t in manifest["tables"]]
    return pd.DataFrame(rows, columns=["内容", "行数"])


def database_in_use() -> None:
    """当前数据库 (admins only, like the whole page): where it is, size, schema version, last import and backup."""
    info = db.read(dbinfo.describe, db.db_path())
    st.subheader("当前数据库")
    rows = [("位置", info.location), ("大小", dbinfo.size_text(info.size_bytes)),
            ("数据结构版本", str(info.schema_version)),
            ("最近一次导入", f"{info.last_import:%Y-%m-%d %H:%M}" if info.last_import else "尚无导入记录"),
            ("最近一次备份", f"{info.last_backup:%Y-%m-%d %H:%M}" if info.last_backup else "未找到备份记录"),
            ("类型", "演示数据库（数据为虚构）" if info.demo else "正式数据库")]
    st.dataframe(pd.DataFrame(rows, columns=["项目", "内容"]), hide_index=True, width="stretch")


def download_backup() -> None:
    """下载备份: make a snapshot on request, then offer it for download with its manifest."""
    st.subheader("下载备份")
    st.write("备份为一个ZIP文件，包含全部数据表（Parquet格式）、清单（生成时间、数据结构版本、各表行数）和每个文件的"
             "SHA-256校验值。备份文件含全部个人信息和账号密码摘要，请存放在安全位置，不得外传。")
    if st.button("生成备份", type="primary", key="make_backup"):
        with st.spinner("正在生成备份……"):
            data, manifest = backup.snapshot_bytes(db.connection())
        st.session_state[MADE_KEY] = (backup.snapshot_name(manifest["created_at"]), data, manifest)
    made = st.session_state.get(MADE_KEY)
    if made:
        name, data, manifest = made
        st.download_button(f"下载备份文件（{len(data) / 1024:,.0f} KB）", data=data, file_name=name,
                           mime="application/zip", icon=":material/download:", key="download_backup")
        st.caption(f"生成时间 {manifest['created_at'].replace('T', ' ')} ｜ 数据结构版本 {manifest['schema_version']}")
        st.dataframe(manifest_table(manifest), hide_index=True)


def auto_backup_status() -> None:
    """定时备份: the schedule, the last run (time, size, or the reason it failed, in red), the snapshots kept."""
    st.subheader("定时备份")
    conf = backup_schedule.settings(db.db_path())
    if conf.at is None:
        st.info("定时备份已关闭。如需开启，请由系统管理员设置每日备份时间（见部署说明）。")
        return
    st.write(f"每天 {conf.at:%H:%M} 自动备份到服务器目录 {conf.directory}，保留最近 {conf.keep} 份。")
    if conf.problem:
        st.warning(conf.problem)
    last = backup_schedule.read_status(conf)
    if last is None:
        st.caption("尚未执行过定时备份。")
    elif last.get("ok"):
        st.success(f"最近一次定时备份：{last['finished_at'].replace('T', ' ')} 完成，"
                   f"文件 {last['file']}（{last['size_bytes'] / 1024:,.0f} KB）。")
    else:
        st.error(f"最近一次定时备份失败（{last['started_at'].replace('T', ' ')}）：{last.get('error') or '原因不明。'}")
    kept = backup_schedule.snapshots(conf)
    if kept:
        st.caption(f"目录中现有备份 {len(kept)} 份：")
        st.dataframe(pd.DataFrame([{"备份文件": k["name"], "大小（KB）": round(k["size_bytes"] / 1024),
                                    "生成时间": k["modified"].strftime("%Y-%m-%d %H:%M")} for k in kept]),
                     hide_index=True)


def restore_from_backup(me: User) -> None:
    """从备份恢复: check the uploaded snapshot, show what it holds, restore it after an explicit confirmation."""
    st.subheader("从备份恢复")
    st.warning("恢复将用备份中的数据整体替换当前全部数据（包括账号）。恢复前系统会先校验备份文件，"
               "当前数据库另存为“.before-restore”文件。", icon="⚠️")
    upload = file_uploader(f"选择备份文件（yiyong-backup-*.zip，不超过 {st.get_option('server.maxUploadSize')} MB；"
                           "更大的备份文件请由系统运维人员在服务器上恢复）", BACKUP_TYPES, key="restore_upload")
    if upload is None:
        return
    data = upload.getvalue()
    try:
        manifest = backup.verify(data)
    except backup.BackupError as exc:
        st.error(f"{exc}当前数据未作任何改动。")
        return
    st.info(f"备份文件校验通过：生成时间 {manifest['created_at'].replace('T', ' ')}，"
            f"数据结构版本 {manifest['schema_version']}。")
    st.dataframe(manifest_table(manifest), hide_index=True)
    sure = st.checkbox("我已确认：用该备份替换当前全部数据", key="restore_confirm")
    if not st.button("开始恢复", type="primary", disabled=not sure, key="restore_button"):
        return
    try:
        with st.spinner("正在恢复……"):
            backup.restore(data, db.db_path(), actor=me.username, before_swap=db.drop_connection)
    except backup.BackupError as exc:
        st.error(str(exc))
        return
    db.drop_connection()
    st.session_state.pop(MADE_KEY, None)
    st.session_state[NOTICE_KEY] = (f"已从备份恢复数据（备份时间 {manifest['created_at'].replace('T', ' ')}）。"
                                    "如当前账号在备份中不存在，将需要重新登录。")
    st.rerun()


def main() -> None:
    me = auth.require("admin", "备份与恢复")
    st.title("备份与恢复")
    database_in_use()
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.success(notice)
    download_backup()
    st.divider()
    auto_backup_status()
    st.divider()
    restore_from_backup(me)


main()

-- 001: the domain of DOMAIN.md.
-- Conventions:
--   * every entity row carries created_change: the change set (import batch, edit, demo build) that
--     inserted it, so undoing a change deletes exactly its rows;
--   * updates and deletes are recorded in audit_log with the row's before/after image (JSON);
--   * no FOREIGN KEY / UNIQUE constraints beyond primary keys: DuckDB implements an UPDATE of an indexed
--     row as delete+insert, which trips such constraints inside one transaction. Integrity is enforced
--     by analytics/ code and checked by tests (tests/test_store.py).

CREATE SEQUENCE IF NOT EXISTS seq_change START 1;
CREATE SEQUENCE IF NOT EXISTS seq_hero START 1;
CREATE SEQUENCE IF NOT EXISTS seq_deed START 1;
CREATE SEQUENCE IF NOT EXISTS seq_recognition START 1;
CREATE SEQUENCE IF NOT EXISTS seq_assistance START 1;
CREATE SEQUENCE IF NOT EXISTS seq_station START 1;
CREATE SEQUENCE IF NOT EXISTS seq_studio START 1;
CREATE SEQUENCE IF NOT EXISTS seq_activity START 1;
CREATE SEQUENCE IF NOT EXISTS seq_audit START 1;

-- County-level units: 8 with a statistical code, 3 functional zones without one.
CREATE TABLE counties (
    name        VARCHAR PRIMARY KEY,   -- full name, e.g. 东昌府区, 聊城经济技术开发区
    code        VARCHAR,               -- 6-digit statistical code; NULL for the functional zones
    kind        VARCHAR NOT NULL,      -- 区 / 县 / 市 / 功能区
    short_name  VARCHAR NOT NULL,      -- 东昌府, 开发区 …
    aliases     VARCHAR[] NOT NULL,    -- other spellings: old names (茌平县), 经开区 …
    sort_order  INTEGER NOT NULL
);

-- Towns (镇/街道/乡) from data/liaocheng_divisions.csv.
CREATE TABLE towns (
    county                    VARCHAR NOT NULL,  -- the statistical county it belongs to
    town                      VARCHAR NOT NULL,
    town_kind                 VARCHAR NOT NULL,  -- 镇 / 街道 / 乡
    managed_directly          BOOLEAN NOT NULL,  -- run by the county itself (else by a functional zone)
    managing_unit             VARCHAR NOT NULL,  -- the county or zone that runs it (zone assignment unconfirmed)
    managing_unit_confirmed   BOOLEAN NOT NULL,
    since                     DATE,              -- NULL: before 2022; 九州街道: 2025
    PRIMARY KEY (county, town)
);

-- Change sets: one per import batch, edit transaction, demo build or restore. Every write belongs to one.
CREATE TABLE changes (
    change_id     BIGINT PRIMARY KEY,
    kind          VARCHAR NOT NULL,      -- import / edit / demo / restore / system
    actor         VARCHAR NOT NULL,      -- user name, or 'system'
    created_at    TIMESTAMP NOT NULL,
    summary       VARCHAR,               -- a Chinese sentence for the history list
    file_names    VARCHAR,               -- imports: the uploaded file names, '；'-separated
    sha256        VARCHAR,               -- imports: SHA-256 of the file(s)
    counts_json   VARCHAR,               -- imports: {"new":..,"updated":..,"unchanged":..,"rejected":..}
    undone_at     TIMESTAMP,
    undone_by     VARCHAR,
    undo_of       BIGINT                 -- set on the change that records an undo
);

CREATE TABLE heroes (
    hero_id           BIGINT PRIMARY KEY,
    identity_key      VARCHAR NOT NULL,   -- see analytics/identity.py
    name              VARCHAR NOT NULL,
    gender            VARCHAR,            -- 男 / 女
    ethnicity         VARCHAR,
    birth_date        DATE,
    id_number         VARCHAR,            -- 18 characters, validated
    political_status  VARCHAR,
    education         VARCHAR,
    occupation        VARCHAR,
    employer          VARCHAR,
    county            VARCHAR NOT NULL,   -- household-registration county-level unit (counties.name)
    town              VARCHAR,
    address           VARCHAR,
    phone             VARCHAR,
    status            VARCHAR,            -- 健在 / 受伤 / 致残 / 牺牲
    registered_on     DATE,               -- 登记在册 (confirmation) date
    plaque_on         DATE,               -- 光荣牌 hung
    note              VARCHAR,
    created_change    BIGINT NOT NULL,
    updated_at        TIMESTAMP
);

CREATE TABLE deeds (
    deed_id             BIGINT PRIMARY KEY,
    deed_key            VARCHAR,          -- natural key used by import to recognise the same deed again
    deed_date           DATE,
    deed_date_precision VARCHAR,          -- day / month / year
    place               VARCHAR,
    county              VARCHAR,          -- county where it happened; NULL when outside the city
    outside_city        BOOLEAN NOT NULL DEFAULT FALSE,
    deed_type           VARCHAR,
    summary             VARCHAR,
    discovered_on       DATE,             -- 及时发现
    investigated_on     DATE,             -- 及时调查
    confirmed_on        DATE,             -- 及时确认
    commended_on        DATE,             -- 及时表扬
    first_assisted_on   DATE,             -- 及时帮扶
    created_change      BIGINT NOT NULL
);

-- A deed may involve several heroes.
CREATE TABLE deed_heroes (
    deed_id         BIGINT NOT NULL,
    hero_id         BIGINT NOT NULL,
    created_change  BIGINT NOT NULL,
    PRIMARY KEY (deed_id, hero_id)
);

CREATE TABLE recognitions (
    recognition_id     BIGINT PRIMARY KEY,
    hero_id            BIGINT NOT NULL,
    deed_id            BIGINT,
    level              VARCHAR NOT NULL,  -- 国家级 / 省级 / 市级 / 县级
    recognized_on      DATE,
    date_precision     VARCHAR,           -- day / month / year
    title              VARCHAR,
    form               VARCHAR,           -- 集中表扬 / 专项表扬 / 联合表扬 / 送奖上门 / 表奖到岗
    award_yuan         DECIMAL(14, 2),
    created_change     BIGINT NOT NULL
);

CREATE TABLE assistance (
    assistance_id   BIGINT PRIMARY KEY,
    hero_id         BIGINT NOT NULL,
    assisted_on     DATE NOT NULL,
    type            VARCHAR NOT NULL,     -- 医疗救治 / 抚恤慰问 / 权益保护 / 困难救助 / 住房 / 就业 / 社保 / 子女入学 / 其他
    amount_yuan     DECIMAL(14, 2),
    provider        VARCHAR,
    note            VARCHAR,
    created_change  BIGINT NOT NULL
);

CREATE TABLE workstations (
    station_id       BIGINT PRIMARY KEY,
    name             VARCHAR NOT NULL,
    county           VARCHAR NOT NULL,    -- the county or zone that runs it
    town             VARCHAR,
    established_on   DATE,
    head             VARCHAR,             -- 站长
    has_sign         BOOLEAN,             -- 有标识标牌
    has_staff        BOOLEAN,             -- 有专兼人员
    has_duties       BOOLEAN,             -- 有职责任务
    has_archive      BOOLEAN,             -- 有工作档案
    has_volunteers   BOOLEAN,             -- 有志愿队伍
    created_change   BIGINT NOT NULL
);

CREATE TABLE studios (
    studio_id        BIGINT PRIMARY KEY,
    name             VARCHAR NOT NULL,    -- e.g. 见义勇为陈强工作室
    county           VARCHAR NOT NULL,
    town             VARCHAR,
    hero_id          BIGINT,              -- the hero it is named after
    hero_name        VARCHAR,
    established_on   DATE,
    head             VARCHAR,
    created_change   BIGINT NOT NULL
);

CREATE TABLE activities (
    activity_id      BIGINT PRIMARY KEY,
    activity_date    DATE NOT NULL,
    county           VARCHAR NOT NULL,
    town             VARCHAR,
    station_id       BIGINT,              -- a workstation, or
    studio_id        BIGINT,              -- a studio
    unit_name        VARCHAR,             -- the station / studio name as written
    type             VARCHAR NOT NULL,    -- 宣传活动 / 发现上报 / 慰问帮扶 / 培训 / 其他
    venue            VARCHAR,             -- 五进: 广场 / 社区 / 校园 / 企业 / 商圈
    count            INTEGER NOT NULL DEFAULT 1,   -- 场次 (宣传活动) or 人次 (发现上报, 慰问帮扶)
    participants     INTEGER,
    note             VARCHAR,
    activity_key     VARCHAR,             -- natural key used by import to recognise the same record again
    created_change   BIGINT NOT NULL
);

-- Updates and deletes, with before/after images, so that a change can be shown and undone.
CREATE TABLE audit_log (
    audit_id     BIGINT PRIMARY KEY,
    change_id    BIGINT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    actor        VARCHAR NOT NULL,
    action       VARCHAR NOT NULL,        -- insert / update / delete
    table_name   VARCHAR NOT NULL,
    record_id    BIGINT NOT NULL,
    hero_id      BIGINT,                  -- the person whose file this touches, for 一人一档 history
    before_json  VARCHAR,
    after_json   VARCHAR
);

CREATE TABLE settings (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR
);

"""Press-conference material (发布会统计): the ready-to-paste Chinese statement, the three tables, the chosen
典型事迹, and their Word / Excel / PowerPoint exports. Every figure comes from analytics.metrics."""

"""Grading past one machine: `kata grade --broker URL` sends each submission as a Celery task,
`kata worker` grades them on any number of hosts, and replies come back through Redis.

`wire` is what travels (tasks, replies, the checks of both) and needs no Celery; `worker`
and `submit` are the two ends, and import Celery (the `queue` extra) only when used.
"""

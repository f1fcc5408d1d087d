"""RQ queues, jobs and schedules; jobs take ids and call intake.services."""

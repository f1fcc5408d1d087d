"""The port to background work: what pages hand to the workers, and what they may read of them.

The domain and the web layer only know this interface; the app factory plugs in the RQ implementation
(workers.port), so `workers` depends on the domain and never the other way round.
"""

from __future__ import annotations

from typing import Protocol


class Background(Protocol):
    def message_stored(self, message_id: int) -> bool:
        """Tag a committed message; Redis being down loses nothing (the sweep retries)."""

    def wechat_photos_stored(self) -> bool:
        """Fetch the pictures a WeChat message announced; the sweep fetches them too."""

    def batch_deputy(self, deputy_id: int) -> bool:
        """Group a deputy's tagged messages into drafts again."""

    def deliver_notices(self, citizen_id: int) -> bool:
        """Send a citizen's committed notices on their channel; undelivered ones wait for their next visit."""

    def deliver_due_notices(self) -> bool:
        """Send every committed notice that is due (e.g. the citizens behind a suggestion that moved on)."""

    def export(self, export_id: int) -> bool:
        """Write an export's file."""

    def export_again(self, export_id: int) -> bool:
        """Write a failed export's file again, whatever became of its first job."""

    def report(self, year: int) -> bool:
        """Write the year's report the office asked for (committed as queued)."""

    def queue_stats(self) -> dict:
        """Queue depths, failed jobs and live workers; raises redis errors when Redis is down."""

    def snapshot(self) -> dict:
        """What the operations page shows: the stats, each worker, failed jobs, last scheduled runs."""

    def retry_failed(self, job_id: str) -> bool:
        """Queue a failed job again; False when there is no such failed job."""

"""Delete finished background jobs (and the files they hold) older than N days;
mark jobs left running or queued for longer than that as failed (their worker is gone)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from disclosure.jobs.models import Job

STALE = "任务长时间没有完成，已停止，请重新提交。"


class Command(BaseCommand):
    help = "删除早于 N 天的已结束后台任务及其文件，并把长时间未结束的任务标为失败。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="保留天数（默认 30）")

    def handle(self, *, days, **options):
        cutoff = timezone.now() - timedelta(days=days)
        stale = Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING], created_at__lt=cutoff)
        marked = stale.update(
            status=Job.Status.FAILED, message=STALE, finished_at=timezone.now(), input_file=None
        )
        deleted, _ = Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=cutoff).delete()
        self.stdout.write(f"删除 {deleted} 个任务，{marked} 个未结束的任务标为失败。")

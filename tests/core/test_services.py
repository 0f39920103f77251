"""Services are built on first use, and what must react to every change is wired regardless."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.jobs import JobInput
from crm_desktop.profile import open_profile


def test_an_outbound_message_informs_even_before_the_pipeline_is_used(paths, clock):
    first = open_profile(paths, clock)
    try:
        cid = first.services.candidates.create(CandidateInput("Lin", emails=("lin@x.org",)))
        job = first.services.jobs.create_job(JobInput("Analyst"))
        application = first.services.pipeline.attach(cid, job, "shortlisted")
    finally:
        first.close()
    clock.advance(timedelta(minutes=5))
    second = open_profile(paths, clock)  # a new session: nothing has used the pipeline
    try:
        assert "pipeline" not in vars(second.services)
        second.services.timeline.add(
            cid, "email", "Shortlisted for Analyst", direction="out", job_id=job
        )
        assert not second.services.pipeline.get(application).owes_update
    finally:
        second.close()


def test_each_service_is_built_once(services):
    assert services.timeline is services.timeline
    assert services.pipeline.timeline is services.timeline
    assert services.alerts.today is services.today


def test_opening_a_profile_imports_no_service_module_it_does_not_use(paths, clock):
    """The window's first paint pays only for what it shows (issue #3, cold start)."""
    script = (
        "import sys\n"
        "from crm_desktop.clock import SystemClock\n"
        "from crm_desktop.paths import resolve_paths\n"
        "from crm_desktop.profile import open_profile\n"
        f"profile = open_profile(resolve_paths({str(paths.data_dir)!r}), SystemClock())\n"
        "profile.services.candidate_list.count()\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('crm_desktop.core'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "crm_desktop.core.candidate_list" in out
    for heavy in ("today", "alerts", "compose", "pipeline", "merge", "privacy", "templates"):
        assert f"crm_desktop.core.{heavy}" not in out

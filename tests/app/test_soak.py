"""A short fault soak in the suite (the long one: `python -m tests.app.soak --keys 2000`)."""

from __future__ import annotations

from tests.app.soak import run_soak


async def test_a_short_soak_under_faults_ends_with_every_email_once_and_no_crash(tmp_path):
    result = await run_soak(keys=250, seed=7, state_dir=tmp_path)
    print("\n".join(result.lines()))
    assert sum(result.faults.values()) > 0 and result.retries > 0, "the soak met no fault: it proves nothing"
    assert result.crashes == 0, result.crash
    assert result.bugs == 0 and result.lost == 0
    assert result.errors_not_sentences == []
    assert result.in_order and result.emails == result.expected == 250

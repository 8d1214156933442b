import os
import subprocess
import sys


def test_production_settings_pass_check_deploy_with_no_warning(tmp_path):
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "BEYONDRAID_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-" + "q8Zr3LmW" * 5,
        "ALLOWED_HOSTS": "beyondraid.example.org",
        "BEYONDRAID_DATA_DIR": str(tmp_path),
        # The reporting channel's secrets, which production refuses to run without.
        "REPORT_RECEIPT_PEPPER": "a-long-random-receipt-pepper-" + "Tq4w" * 8,
        "REPORT_MATCHING_KEY": "a-long-random-matching-key-" + "Hs7e" * 8,
        "REPORT_RATE_SECRET": "a-long-random-rate-secret-" + "Pz2k" * 8,
    }
    result = subprocess.run(
        [sys.executable, "-m", "beyondraid.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

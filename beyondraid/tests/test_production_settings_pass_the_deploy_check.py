import os
import subprocess
import sys


def _production_environment(tmp_path, **extra) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "BEYONDRAID_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-" + "q8Zr3LmW" * 5,
        "ALLOWED_HOSTS": "beyondraid.example.org",
        "BEYONDRAID_DATA_DIR": str(tmp_path),
        # The reporting channel's secrets, which production refuses to run without.
        "REPORT_RECEIPT_PEPPER": "a-long-random-receipt-pepper-" + "Tq4w" * 8,
        "REPORT_MATCHING_KEY": "a-long-random-matching-key-" + "Hs7e" * 8,
        "REPORT_RATE_SECRET": "a-long-random-rate-secret-" + "Pz2k" * 8,
        # The key of person links, kept outside the database (docs/linkage.md).
        "BEYONDRAID_LINKAGE_KEY": "a-long-random-linkage-key-" + "Lk9v" * 8,
        **extra,
    }


def test_production_settings_pass_check_deploy_with_no_warning(tmp_path):
    environment = _production_environment(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "beyondraid.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_print_e_mails_on_the_console(tmp_path):
    """Invitations carry the one-time link to set a password: on the console, whoever reads the
    server's output could use it."""
    environment = _production_environment(
        tmp_path, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import beyondraid.settings"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert result.returncode != 0
    assert "EMAIL_BACKEND must send e-mail in production" in result.stderr

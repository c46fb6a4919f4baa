"""The `yigang` command: Django's manage.py, installed as a console script."""

import os
import sys

MISSING_HOSTS = (
    "未设置 ALLOWED_HOSTS：DEBUG 关闭时，系统只响应 ALLOWED_HOSTS 中列出的主机名（防止伪造 Host 头）。\n"
    "请设置环境变量 ALLOWED_HOSTS，多个用英文逗号分隔，例如：\n"
    "  ALLOWED_HOSTS=yigang.example.gov.cn,127.0.0.1 yigang runserver\n"
    "仅在本机开发试用时，可改为设置 DEBUG=1（make run 即如此）。生产环境请用 yigang serve（见 docs/deployment.md）。"
)


def missing_setting(argv: list[str]) -> str | None:
    """What `yigang runserver` needs and lacks, said in Chinese (Django's own error is English and names no
    environment variable), or None."""
    if len(argv) < 2 or argv[1] != "runserver":
        return None
    from django.conf import settings

    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        return MISSING_HOSTS
    return None


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigang.settings")
    from django.core.management import execute_from_command_line

    missing = missing_setting(sys.argv)
    if missing is not None:
        sys.stderr.write(missing + "\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

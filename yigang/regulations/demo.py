"""The demo county's own regulation (issue 25.5): a made-up 乌审旗 实施细则 (data/wushenqi-demo-2023.txt, fictional,
in the genre of the county texts under tests/regulations/data), imported for the county's Region like any
county's, every duty with a frequency of a post that a town post answers for marked as a model duty, and put in
force — so the county's page and the demo town's regulation page show the town against it. Idempotent."""

from __future__ import annotations

from importlib import resources

from yigang.towns.models import Region

from . import actions, model_actions
from .choices import RegionPost
from .models import Regulation, Status

FILE = "wushenqi-demo-2023.txt"
# The county's own departments' duty is theirs, not a town's: left unmarked (the county says what it requires).
NOT_REQUIRED = frozenset({RegionPost.DEPARTMENT_HEAD})


def load(county: Region) -> Regulation | None:
    if Regulation.objects.filter(region=county).exclude(status=Status.DISCARDED).exists():
        return None
    data = resources.files("yigang.regulations").joinpath(f"data/{FILE}").read_bytes()
    regulation = actions.import_regulation(region=county, data=data, filename=FILE, actor=None)
    for duty in regulation.duties.exclude(post__in=NOT_REQUIRED).exclude(period=""):
        model_actions.mark_model_duty(duty=duty, is_model=True, actor=None)
    return actions.activate_regulation(regulation=regulation, actor=None)

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import POST_KINDS, ChangeKind, Person, Post, Sector, Unit, UnitKind

LEADERSHIP_KINDS = (UnitKind.GOVERNMENT, UnitKind.PARTY, UnitKind.CONGRESS, UnitKind.DISCIPLINE)
SUPERVISING_KINDS = (UnitKind.BODY, UnitKind.COUNTY)
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_ERRORS = {"invalid": _("请按 YYYY-MM-DD 格式填写日期。")}


def _choices(form: forms.Form, name: str, queryset: Any) -> Any:
    """Point a model choice field at the town's rows (fields are typed as plain Field on the form)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    return field


def _date(label: str, required: bool = True, **kwargs: Any) -> forms.DateField:
    messages: dict[str, Any] = dict(_DATE_ERRORS)
    messages["required"] = _("请填写%(label)s。") % {"label": label}
    return forms.DateField(label=label, required=required, widget=_DATE, error_messages=messages, **kwargs)


class SectorForm(forms.Form):
    name = forms.CharField(
        label=_("行业领域"), max_length=80, error_messages={"required": _("请填写行业领域名称。")}
    )
    description = forms.CharField(label=_("说明"), max_length=300, required=False)
    synonyms = forms.CharField(
        label=_("同义词"), max_length=300, required=False, help_text=_("用顿号分隔，如：烟花鞭炮、鞭炮")
    )


class SectorWordsForm(forms.Form):
    synonyms = forms.CharField(
        label=_("同义词"), max_length=300, required=False, help_text=_("用顿号分隔，如：烟花鞭炮、鞭炮")
    )
    broader = forms.ModelChoiceField(
        label=_("所属行业领域"),
        queryset=Sector.objects.none(),
        required=False,
        help_text=_("如：道路属于道路交通"),
    )

    def __init__(self, *args: Any, town: Any, sector: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = Sector.objects.in_town(town).order_by("name")
        _choices(self, "broader", queryset.exclude(pk=sector.pk) if sector is not None else queryset)


class SupervisionForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("行业领域"), queryset=Sector.objects.none())
    unit = forms.ModelChoiceField(label=_("监管单位"), queryset=Unit.objects.none())
    scope = forms.CharField(label=_("范围"), max_length=80, required=False, help_text=_("如：运输、九小场所"))
    # A new supervision starts on a day (today by default): left open, it would also answer for past days.
    start = _date(str(_("起始日期")))

    def __init__(self, *args: Any, town: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "sector", Sector.objects.in_town(town))
        _choices(self, "unit", Unit.objects.in_town(town).filter(active=True, kind__in=SUPERVISING_KINDS))
        self.fields["start"].initial = timezone.localdate()


class EndSupervisionForm(forms.Form):
    """Ending a supervision is asked twice: the date, and a ticked confirmation."""

    end = _date(str(_("终止日期")), help_text=_("监管的最后一天"))
    confirm = forms.BooleanField(
        label=_("我已核对：终止后该单位自次日起不再列入该行业领域的责任链，此前的记录保持不变"),
        error_messages={"required": _("请勾选确认后再终止。")},
    )


class DayForm(forms.Form):
    at = _date(str(_("日期")), required=False)


class ChainForm(forms.Form):
    """Pick a sector, a place (a village, an enterprise or the whole town) and a day."""

    sector = forms.ModelChoiceField(
        label=_("行业领域"),
        queryset=Sector.objects.none(),
        error_messages={"required": _("请选择行业领域。"), "invalid_choice": _("没有该行业领域。")},
    )
    place = forms.ModelChoiceField(
        label=_("地点"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("全镇"),
        error_messages={"invalid_choice": _("没有该嘎查村（社区）或生产经营单位。")},
    )
    at = _date(str(_("日期")), required=False)

    def __init__(self, *args: Any, town: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "sector", Sector.objects.in_town(town).order_by("name"))
        place = _choices(
            self,
            "place",
            Unit.objects.in_town(town)
            .filter(kind__in=(UnitKind.VILLAGE, UnitKind.ENTERPRISE))
            .order_by("-kind", "-active", "name"),
        )
        place.label_from_instance = lambda u: (
            f"{u.name}（{u.get_kind_display()}）" if u.kind == UnitKind.ENTERPRISE else u.name
        )
        self.fields["at"].initial = timezone.localdate()


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名。")})
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class UnitForm(forms.Form):
    name = forms.CharField(
        label=_("名称"), max_length=120, error_messages={"required": _("请填写单位名称。")}
    )
    kind = forms.ChoiceField(label=_("类别"), choices=UnitKind.choices, initial=UnitKind.BODY)
    valid_from = _date(str(_("设立日期")), required=False)
    sector = forms.ModelChoiceField(
        label=_("所属行业领域"),
        queryset=Sector.objects.none(),
        required=False,
        help_text=_("生产经营单位填写"),
    )
    village = forms.ModelChoiceField(
        label=_("所在嘎查村（社区）"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("生产经营单位填写"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, town: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "sector", Sector.objects.in_town(town))
        _choices(self, "village", Unit.objects.in_town(town).filter(kind=UnitKind.VILLAGE, active=True))


class PostForm(forms.Form):
    title = forms.CharField(
        label=_("岗位名称"), max_length=120, error_messages={"required": _("请填写岗位名称。")}
    )
    kind = forms.ChoiceField(
        label=_("制度岗位"), choices=[("", _("（不对应制度岗位）")), *POST_KINDS], required=False
    )


class AppointForm(forms.Form):
    post = forms.ModelChoiceField(label=_("岗位"), queryset=Post.objects.none())
    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.none())
    start = _date(str(_("任职日期")))
    end = _date(str(_("离任日期")), required=False)
    note = forms.CharField(label=_("任免依据"), max_length=200, required=False)

    def __init__(self, *args: Any, town: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        posts = Post.objects.in_town(town).filter(active=True).select_related("unit")
        if unit is not None:
            posts = posts.filter(unit=unit)
        field = _choices(self, "post", posts.order_by("unit__kind", "unit__name", "title"))
        field.label_from_instance = lambda p: f"{p.unit.name} · {p.title}"
        _choices(self, "person", Person.objects.in_town(town))


class EndForm(forms.Form):
    end = _date(str(_("终止日期")))


class PortfolioForm(forms.Form):
    post = forms.ModelChoiceField(label=_("分管领导岗位"), queryset=Post.objects.none())
    unit = forms.ModelChoiceField(label=_("分管单位"), queryset=Unit.objects.none(), required=False)
    sector = forms.ModelChoiceField(label=_("或分管行业领域"), queryset=Sector.objects.none(), required=False)
    start = _date(str(_("起始日期")))
    end = _date(str(_("终止日期")), required=False)

    def __init__(self, *args: Any, town: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leaders = Post.objects.in_town(town).filter(active=True, unit__kind__in=LEADERSHIP_KINDS)
        _choices(self, "post", leaders.select_related("unit").order_by("unit__kind", "title"))
        _choices(self, "unit", Unit.objects.in_town(town).filter(active=True, kind=UnitKind.BODY))
        _choices(self, "sector", Sector.objects.in_town(town))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("unit") and not data.get("sector"):
            raise forms.ValidationError(_("请选择分管的单位或行业领域。"))
        if data.get("unit") and data.get("sector"):
            raise forms.ValidationError(_("单位和行业领域只选其一；分管多个请分别添加。"))
        return data


class ReorganiseForm(forms.Form):
    kind = forms.ChoiceField(label=_("改革类型"), choices=ChangeKind.choices)
    effective = _date(str(_("生效日期")))
    sources = forms.ModelMultipleChoiceField(
        label=_("改革前单位"),
        queryset=Unit.objects.none(),
        error_messages={"required": _("请选择改革前的单位。")},
        help_text=_("更名、拆分选一个；合并选两个及以上"),
    )
    results = forms.CharField(
        label=_("改革后单位名称"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写改革后的单位名称。")},
        help_text=_("每行一个；与原单位同名表示该单位保留（如拆分出新单位、其他单位并入）"),
    )
    document = forms.CharField(label=_("依据文件"), max_length=200, required=False)

    def __init__(self, *args: Any, town: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self,
            "sources",
            Unit.objects.in_town(town).filter(Q(kind=UnitKind.BODY) | Q(kind=UnitKind.VILLAGE), active=True),
        )

    def result_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["results"].splitlines() if line.strip()]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"), error_messages={"required": _("请选择要导入的文件。")}
    )

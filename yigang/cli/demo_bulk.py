"""The bulk path of `yigang demo --towns N`: one town written through the actions, every other one copied from it.

The first town built in a run goes through the actions (`county.build`) while `Template.capture` notes, table by
table, the ids the database handed out in each phase. Its rows are read back once, and every further town gets
the same rows with bulk inserts (COPY on PostgreSQL, executemany on SQLite): the ids remapped to a block of the
table's own sequence (the block the actions would have taken: the same length, the same gaps), the town's id,
its code and name put in, file paths made new (the same bytes stored again under the new town), "now" moved to
the copy's now, and the audit entries chained onto the trail's end with the hashes `audit.log.record` computes
(`AuditEntry.compute_hash`), so `verify_chain()` holds. The duty records, seeded by each town's code, are
generated for every town by `county.duty_records` between the two copied phases, as in the action path.

A template row that points at a row the copy cannot remap (a duty record, seeded per town) stops the build
rather than copying a wrong id. tests/cli/test_demo_bulk.py builds a small region both ways and compares every
row of every table.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from yigang.audit.log import CHAIN_LOCK, anchor_log, chain_start
from yigang.audit.models import AuditEntry
from yigang.towns.models import Town

# Ids inside audit entries' changes, by event and key: the copy maps them as it maps the columns. The others are
# counts and versions. A new action writing an id here without a line below fails the comparison test.
CHANGE_IDS: dict[tuple[str, str], str] = {
    ("accidents.report", "tasks"): "org.Post",
    ("accidents.change", "tasks"): "org.Post",
    ("accidents.arrival", "post"): "org.Post",
    ("accidents.confirm", "post"): "org.Post",
    ("accidents.confirm", "confirmed_by"): "auth.User",
}
# Ids inside JSON columns (the hazards' routing, the accidents' chain, the events' details): keys that name one.
JSON_IDS = {"unit_id": "org.Unit", "post_id": "org.Post", "person_id": "org.Person"}
JSON_FIELD_IDS: dict[tuple[str, str], dict[str, str]] = {
    ("hazards.HazardEvent", "details"): {"plan": "hazards.Plan"}
}
# Ids inside text columns: the notices' links and their deduplication keys (hazards/notices.py,
# accidents/notices.py). Mapped like foreign keys; the comparison test finds one missing here.
TEXT_IDS: dict[tuple[str, str], list[tuple[re.Pattern[str], str]]] = {
    ("notify.Notification", "url"): [
        (re.compile(r"(?<=/hazards/)(\d+)(?=/)"), "hazards.Hazard"),
        (re.compile(r"(?<=/accidents/)(\d+)(?=/)"), "accidents.Accident"),
    ],
    ("notify.Delivery", "key"): [
        (re.compile(r"(?<=\bhazard:)(\d+)"), "hazards.Hazard"),
        (re.compile(r"(?<=\|routed:)(\d+)"), "org.Unit"),
        (re.compile(r"(?<=\|extension:)(\d+)"), "hazards.Extension"),
        (re.compile(r"(?<=\baccident:)(\d+)"), "accidents.Accident"),
    ],
}
BATCH = 2_000
LEADING_ID = re.compile(r"^(\d+)[ :]")


def tables() -> list[type[models.Model]]:
    """Every table with an integer id the database counts up (the through tables of many-to-many fields too)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and isinstance(meta.pk, models.AutoField):
            found.append(model)
    return found


def _others() -> dict[str, int]:
    """Row counts of the tables without such an id: a phase that writes one of them cannot be copied."""
    counted = set(tables())
    return {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models(include_auto_created=True)
        if m not in counted and m._meta.managed and not m._meta.proxy
    }


def _sequence_names() -> dict[type[models.Model], str]:
    with connection.cursor() as cursor:
        names = {}
        for model in tables():
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column]
            )
            names[model] = cursor.fetchone()[0]
    return names


class Sequences:
    """The last id each table's sequence handed out, read and advanced as the actions' inserts would."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.names = _sequence_names() if self.postgres else {}

    def last(self) -> dict[type[models.Model], int]:
        with connection.cursor() as cursor:
            if not self.postgres:
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
                seqs = dict(cursor.fetchall())
                return {m: int(seqs.get(m._meta.db_table, 0)) for m in tables()}
            # One query for every sequence: last_value is the last id handed out once is_called.
            parts = [
                f"SELECT {n}, CASE WHEN is_called THEN last_value ELSE 0 END FROM {self.names[m]}"  # noqa: S608
                for n, m in enumerate(tables())
            ]
            cursor.execute(" UNION ALL ".join(parts))
            values = dict(cursor.fetchall())
        return {m: int(values[n]) for n, m in enumerate(tables())}

    def reserve(self, model: type[models.Model], span: int) -> int:
        """Take `span` ids of `model`'s sequence; return the last id before them."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    f"SELECT setval('{self.names[model]}', nextval('{self.names[model]}') + %s - 1)", [span]
                )
                return int(cursor.fetchone()[0]) - span
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            last = int(row[0]) if row else 0
            if row:
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last + span, table])
            else:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last + span]
                )
            return last


@dataclass
class Phase:
    """The rows one phase of the template town wrote: per table the ids (after, upto] and the rows' values."""

    after: dict[type[models.Model], int]
    upto: dict[type[models.Model], int]
    began: datetime.datetime
    ended: datetime.datetime
    rows: dict[type[models.Model], list[list[Any]]] = field(default_factory=dict)

    def spans(self) -> dict[type[models.Model], int]:
        return {m: self.upto[m] - self.after[m] for m in self.upto if self.upto[m] > self.after[m]}


@dataclass
class Template:
    """The town built through the actions and the ids of its phases: the register (with the town's officer), the
    duty records (generated anew for every town, never copied) and the hazards and accidents."""

    town: Town
    sequences: Sequences
    phases: dict[str, Phase] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    officer_id: int = 0  # the town's 安委办 officer (the records' amendments are its)
    hazards: int = 0  # how many hazards the hazards demo reported
    index: dict[type[models.Model], dict[int, dict[str, Any]]] = field(default_factory=dict)

    @contextmanager
    def capture(self, name: str) -> Iterator[None]:
        before, others, began = self.sequences.last(), _others(), timezone.now()
        yield
        if _others() != others:
            raise RuntimeError(f"phase {name} wrote a table the bulk copy cannot number")
        self.phases[name] = Phase(before, self.sequences.last(), began, timezone.now())

    def row(self, model: type[models.Model], pk: int) -> dict[str, Any] | None:
        """A copied row of the template as column → value (None if no copied phase wrote it)."""
        if model not in self.index:
            names = [f.attname for f in model._meta.concrete_fields]
            at = names.index(model._meta.pk.attname)
            self.index[model] = {
                values[at]: dict(zip(names, values, strict=True))
                for phase in self.phases.values()
                for values in phase.rows.get(model, ())
            }
        return self.index[model].get(pk)

    def read(self) -> None:
        """Read the copied phases' rows back, in their final state (a later phase may have changed them)."""
        for name, phase in self.phases.items():
            if name == "records":
                continue
            for model, _span in phase.spans().items():
                attnames = [f.attname for f in model._meta.concrete_fields]
                pk = model._meta.pk.attname
                rows = model._base_manager.filter(
                    **{f"{pk}__gt": phase.after[model], f"{pk}__lte": phase.upto[model]}
                )
                phase.rows[model] = [list(r) for r in rows.order_by(pk).values_list(*attnames)]
                for f in model._meta.concrete_fields:
                    if isinstance(f, models.FileField):
                        index = attnames.index(f.attname)
                        for row in phase.rows[model]:
                            if row[index] and row[index] not in self.files:
                                with default_storage.open(row[index], "rb") as handle:
                                    self.files[row[index]] = handle.read()


class Copy:
    """One new town's copy of the template: the id blocks taken so far and the values put in."""

    def __init__(self, template: Template, town: Town, replacements: dict[str, str]) -> None:
        self.template = template
        self.town = town
        self.replacements = replacements
        self.deltas: dict[type[models.Model], list[tuple[int, int, int]]] = {}
        self.stored: list[str] = []

    def remap(self, model: type[models.Model], value: Any) -> Any:
        if value is None:
            return None
        if model is Town:
            return self.town.pk if value == self.template.town.pk else value
        for after, upto, delta in self.deltas.get(model, ()):
            if after < value <= upto:
                return value + delta
        records = self.template.phases["records"]
        if records.after.get(model, 0) < value <= records.upto.get(model, 0):
            raise RuntimeError(
                f"a copied row points at {model._meta.label} {value}, a row of a per-town phase"
            )
        return value

    def text(self, value: str) -> str:
        for old, new in self.replacements.items():
            if old in value:
                value = value.replace(old, new)
        return value

    def ids_in(self, rules: list[tuple[re.Pattern[str], str]], value: str) -> str:
        value = self.text(value)
        for pattern, label in rules:
            target = apps.get_model(label)
            value = pattern.sub(partial(self._matched, target), value)
        return value

    def _matched(self, model: type[models.Model], match: re.Match[str]) -> str:
        return str(self.remap(model, int(match.group(1))))

    def json(self, value: Any, keys: dict[str, str] = JSON_IDS) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(v, keys) for v in value]
        if isinstance(value, dict):
            return {
                k: self.remap(apps.get_model(keys[k]), v)
                if k in keys and isinstance(v, int) and not isinstance(v, bool)
                else self.json(v, keys)
                for k, v in value.items()
            }
        return value

    def changes(self, event: str, value: dict[str, Any]) -> dict[str, Any]:
        out = dict(value)  # its strings were put in by the column's converter
        for key in out:
            label = CHANGE_IDS.get((event, key))
            if label is not None:
                target = apps.get_model(label)
                item = out[key]
                out[key] = (
                    [self.remap(target, v) for v in item]
                    if isinstance(item, list)
                    else self.remap(target, item)
                )
        return out

    def leading_id(self, model: type[models.Model], pk: int, text: str) -> str:
        """An object's description that starts with a foreign id (`Report.__str__`: "{accident_id} v2") gets the
        copy's id: the foreign key of the template's row holding that number says which table it counts."""
        found = LEADING_ID.match(text)
        row = self.template.row(model, pk)
        if found is None or row is None:
            return text
        number = int(found.group(1))
        for f in sorted(model._meta.concrete_fields, key=lambda f: f.related_model is Town):
            target = f.related_model
            if isinstance(target, type) and not f.primary_key and row.get(f.attname) == number:
                return f"{self.remap(target, number)}{text[found.end(1) :]}"
        return text

    def file(self, path: str) -> str:
        """The same bytes stored again for the new town, at the path `evidence.uploads.store` would choose."""
        if not path:
            return path
        folder, _town, *_rest = path.split("/")
        extension = path.rsplit(".", 1)[-1]
        now = timezone.localtime()
        target = f"{folder}/{self.town.pk}/{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"
        saved = default_storage.save(target, ContentFile(self.template.files[path]))
        self.stored.append(saved)
        return saved

    def converters(
        self, model: type[models.Model], phase: Phase, now: datetime.datetime
    ) -> list[Callable[[Any], Any]]:
        shift = now - phase.began

        def moved(value: Any) -> Any:
            return value + shift if value is not None and phase.began <= value <= phase.ended else value

        out: list[Callable[[Any], Any]] = []
        for f in model._meta.concrete_fields:
            target = model if f.primary_key else f.related_model
            if isinstance(target, type):
                out.append(partial(self.remap, target))
            elif isinstance(f, models.FileField):
                out.append(self.file)
            elif isinstance(f, models.DateTimeField):
                out.append(moved)
            elif isinstance(f, models.JSONField):
                keys = {**JSON_IDS, **JSON_FIELD_IDS.get((model._meta.label, f.name), {})}
                out.append(partial(self.json, keys=keys))
            elif (model._meta.label, f.name) in TEXT_IDS:
                out.append(partial(self.ids_in, TEXT_IDS[model._meta.label, f.name]))
            elif isinstance(f, models.CharField | models.TextField):
                out.append(self.json)  # a string: the town's name and code put in; None stays
            else:
                out.append(_same)
        return out

    def phase(self, name: str) -> None:
        """Write the template's rows of phase `name` for this town."""
        phase = self.template.phases[name]
        for model, span in phase.spans().items():
            last = self.template.sequences.reserve(model, span)
            self.deltas.setdefault(model, []).append(
                (phase.after[model], phase.upto[model], last - phase.after[model])
            )
        now = timezone.now()
        for model, rows in phase.rows.items():
            if model is AuditEntry:
                continue
            convert = self.converters(model, phase, now)
            copied = [[c(v) for c, v in zip(convert, row, strict=True)] for row in rows]
            insert(model, _as_added(model, copied) if model._meta.auto_created else copied)
        if AuditEntry in phase.rows:
            self.audit(phase, now)

    def audit(self, phase: Phase, now: datetime.datetime) -> None:
        """Chain the copied entries onto the trail's end, hashed as `audit.log.record` hashes each one."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        last = AuditEntry.objects.order_by("-id").only("hash").first()
        previous = last.hash if last else chain_start()[1]
        names = [f.attname for f in AuditEntry._meta.concrete_fields]
        convert = self.converters(AuditEntry, phase, now)
        rows = []
        for raw in phase.rows[AuditEntry]:
            values = dict(zip(names, [c(v) for c, v in zip(convert, raw, strict=True)], strict=True))
            values["changes"] = self.changes(values["event"], dict(values["changes"]))
            if values["object_type"] and values["object_id"]:
                target = apps.get_model(values["object_type"])
                values["object_repr"] = self.leading_id(
                    target, int(values["object_id"]), values["object_repr"]
                )
                values["object_id"] = str(self.remap(target, int(values["object_id"])))
            entry = AuditEntry(**{**values, "prev_hash": previous})
            entry.hash = previous = entry.compute_hash()
            rows.append([getattr(entry, n) for n in names])
            line = f"{entry.pk} {entry.at.isoformat()} {entry.event} {entry.hash}"
            transaction.on_commit(partial(anchor_log.info, line))
        insert(AuditEntry, rows)

    def forget_files(self) -> None:
        """The copy rolled back: remove the files it stored (nothing half-saved)."""
        for path in self.stored:
            default_storage.delete(path)


def _same(value: Any) -> Any:
    return value


def _as_added(model: type[models.Model], rows: list[list[Any]]) -> list[list[Any]]:
    """A many-to-many table's rows in the order `add()` writes them: each source's targets in the order a Python
    set of their ids iterates (`ManyRelatedManager._get_missing_target_ids`), which follows the ids themselves."""
    source, target = (
        i for i, f in enumerate(model._meta.concrete_fields) if f.is_relation and not f.primary_key
    )
    groups: dict[Any, list[Any]] = {}
    for row in rows:
        groups.setdefault(row[source], []).append(row[target])
    order = {key: iter(set().union(ids).difference(())) for key, ids in groups.items()}
    for row in rows:
        row[target] = next(order[row[source]])
    return rows


def adapter(f: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """A column's value as the database driver takes it, as `Field.get_db_prep_save` gives it — without its
    per-value dispatch where the value passes unchanged (numbers, text, flags, ids) or is a plain moment."""
    if isinstance(f, models.DateTimeField) and connection.vendor == "sqlite":
        zone = (
            connection.timezone
        )  # DatabaseOperations.adapt_datetimefield_value: naive in the connection's zone

        def moment(value: Any) -> Any:
            return None if value is None else str(value.astimezone(zone).replace(tzinfo=None))

        return moment
    plain = (models.AutoField, models.IntegerField, models.BooleanField, models.ForeignKey, models.CharField)
    if isinstance(f, (*plain, models.TextField)):
        return _same
    return partial(f.get_db_prep_save, connection=connection)


def insert(model: type[models.Model], rows: list[list[Any]]) -> None:
    """Insert rows of Python values (every concrete column, id included)."""
    fields = model._meta.concrete_fields
    adapt = [adapter(f) for f in fields]
    write(
        model, [f.column for f in fields], [[a(v) for a, v in zip(adapt, row, strict=True)] for row in rows]
    )


def write(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Write rows of driver values into `columns` of `model`'s table: COPY on PostgreSQL, executemany else."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])

"""What the hidden tests of backup-retention share: an independent model of the rules,
seeded generators of backup histories, and the failure message that explains a wrong set.

The model is written from the contract, not from any solution: for each rule, group the
distinct backups by period, order the periods by their newest backup, and keep the newest
backup of each of the first `count` periods. Periods are named independently of
`isocalendar()` where it matters: an ISO week is the date of its Monday (weeks run Monday
to Sunday, so the week never splits at a year's end).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

RULES = ("keep_last", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly")
UNIT = {"keep_last": "backup", "keep_daily": "day", "keep_weekly": "ISO week",
        "keep_monthly": "month", "keep_yearly": "year"}


def period(rule: str, moment: datetime):
    """The period a backup falls in for one rule, as a sortable key (the calendar fields
    of the datetime as written: its own local day when it carries a time zone)."""
    day = date(moment.year, moment.month, moment.day)
    if rule == "keep_last":
        return moment
    if rule == "keep_daily":
        return day
    if rule == "keep_weekly":
        return day - timedelta(days=day.weekday())  # the Monday that starts the week
    if rule == "keep_monthly":
        return moment.year * 12 + moment.month - 1
    return moment.year


def label(rule: str, key) -> str:
    if rule == "keep_last":
        return "backup " + stamp(key)
    if rule == "keep_daily":
        return f"day {key.isoformat()}"
    if rule == "keep_weekly":
        thursday = key + timedelta(days=3)  # the ISO year is the year of the week's Thursday
        number = (thursday - date(thursday.year, 1, 1)).days // 7 + 1
        return f"ISO week {thursday.year}-W{number:02d} (Mon {key.isoformat()})"
    if rule == "keep_monthly":
        return f"month {key // 12:04d}-{key % 12 + 1:02d}"
    return f"year {key}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def stamp(moment: datetime) -> str:
    """2024-12-30 23:10:00 Mon (+ microseconds, + the offset of an aware datetime)."""
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    text += moment.strftime(" %a")
    offset = moment.utcoffset()
    if offset is not None:
        text += " UTC" if not offset else moment.strftime(" %z")
    return text


class Model:
    """What each rule keeps, and why: for every distinct backup, per rule, whether it is
    the newest of its period and how that period ranks among the rule's periods."""

    def __init__(self, backups: list[datetime], options: dict[str, int]) -> None:
        self.backups = sorted(set(backups), reverse=True)
        self.options = {rule: options.get(rule, 0) for rule in RULES}
        self.rank: dict[str, dict] = {}      # rule -> period -> 1-based rank, newest first
        self.newest: dict[str, dict] = {}    # rule -> period -> its newest backup
        self.reasons: dict[datetime, list[str]] = {}
        for rule in RULES:
            newest: dict = {}
            for moment in self.backups:
                key = period(rule, moment)
                if key not in newest or moment > newest[key]:
                    newest[key] = moment
            order = sorted(newest, key=lambda key: newest[key], reverse=True)
            self.newest[rule] = newest
            self.rank[rule] = {key: index + 1 for index, key in enumerate(order)}
            count = self.options[rule]
            for key in order[:count]:
                self.reasons.setdefault(newest[key], []).append(
                    f"{rule}={count} keeps it: the newest of {label(rule, key)}, its "
                    f"{ordinal(self.rank[rule][key])} newest {UNIT[rule]}")

    @property
    def kept(self) -> set[datetime]:
        return set(self.reasons)

    def why_not(self, moment: datetime) -> str:
        """Why no rule keeps `moment`, one clause per rule in use."""
        clauses = []
        for rule in RULES:
            count = self.options[rule]
            if not count:
                continue
            key = period(rule, moment)
            newest = self.newest[rule][key]
            if newest != moment:
                clauses.append(f"{rule}: {label(rule, key)} has a newer backup, "
                               f"{stamp(newest)}")
            else:
                clauses.append(f"{rule}={count}: {label(rule, key)} is only its "
                               f"{ordinal(self.rank[rule][key])} newest {UNIT[rule]}")
        return "; ".join(clauses)


def describe(backups: list[datetime], name: str = "") -> str:
    """A short account of an input: the list itself when short, else a summary."""
    if len(backups) <= 6:
        return "[" + ", ".join(stamp(moment) for moment in backups) + "]"
    distinct = set(backups)
    zones = sorted({"naive" if moment.utcoffset() is None else
                    "UTC" if not moment.utcoffset() else moment.strftime("%z")
                    for moment in backups})
    days = {(moment.year, moment.month, moment.day) for moment in distinct}
    text = (f"{len(backups)} backups ({len(distinct)} distinct) on {len(days)} days, "
            f"{stamp(min(distinct))} .. {stamp(max(distinct))}, in no order, "
            f"time zones: {', '.join(zones[:4])}{' ...' if len(zones) > 4 else ''}")
    return f"{name}: {text}" if name else text


def call_text(options: dict[str, int]) -> str:
    given = ", ".join(f"{rule}={options[rule]}" for rule in RULES if options.get(rule))
    return f"select_backups(backups, {given})"


def compare(got, backups: list[datetime], options: dict[str, int], what: str = "") -> None:
    """Fail with a message that names the wrongly kept and wrongly dropped backups, and
    the rule that should have kept (or the reason no rule keeps) each."""
    model = Model(backups, options)
    expected = model.kept
    if got == expected:
        return
    head = f"{call_text(options)} with backups = {describe(backups, what)}"
    if not isinstance(got, (set, frozenset)):
        raise AssertionError(f"{head}\nreturned {got!r}; expected a set of datetimes")
    lines = [head, f"kept {len(got)} backups, expected {len(expected)}."]
    dropped = sorted(expected - got, reverse=True)
    extra = sorted(got - expected, key=_sortable, reverse=True)
    if dropped:
        lines.append(f"Wrongly dropped ({len(dropped)}):")
        lines += [f"  {stamp(moment)}: " + "; ".join(model.reasons[moment])
                  for moment in dropped[:5]]
    if extra:
        lines.append(f"Wrongly kept ({len(extra)}):")
        for moment in extra[:5]:
            if isinstance(moment, datetime) and moment in set(model.backups):
                lines.append(f"  {stamp(moment)}: no rule keeps it ({model.why_not(moment)})")
            else:
                lines.append(f"  {moment!r}: not one of the backups given")
    raise AssertionError("\n".join(lines))


def _sortable(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else repr(value)


# --- generated histories ----------------------------------------------------------------

#: Years whose ISO week straddles 31 December in the ways that catch mistakes: 2020-W53
#: runs into 2021 (Jan 1-3 2021 are in 2020-W53), 2024-12-30/31 are in 2025-W01, 2026 ends
#: on a Thursday (2026-W53), 2008-12-29 is in 2009-W01, 2015-W53 runs to 2016-01-03.
YEAR_ENDS = (2008, 2015, 2020, 2024, 2026)


def _at(rng: random.Random, day: date, hours: tuple[int, int] = (0, 24)) -> datetime:
    seconds = rng.randrange(hours[0] * 3600, hours[1] * 3600)
    return datetime(day.year, day.month, day.day) + timedelta(seconds=seconds)


def dense(rng: random.Random) -> list[datetime]:
    """A few days to six weeks, up to six backups a day, some days without any."""
    start = date(rng.randrange(2019, 2027), rng.randrange(1, 13), rng.randrange(1, 29))
    backups = []
    for offset in range(rng.randrange(2, 43)):
        day = start + timedelta(days=offset)
        backups += [_at(rng, day) for _ in range(rng.choice((0, 1, 1, 2, 3, 6)))]
    return backups


def daily(rng: random.Random) -> list[datetime]:
    """One nightly backup for one to three years, a fifth of the nights missed."""
    start = date(rng.randrange(2018, 2025), rng.randrange(1, 13), 1)
    return [_at(rng, start + timedelta(days=offset), (1, 4))
            for offset in range(rng.randrange(150, 900)) if rng.random() > 0.2]


def sparse(rng: random.Random) -> list[datetime]:
    """A handful to sixty backups anywhere in one to eight years."""
    start = datetime(rng.randrange(2010, 2024), 1, 1)
    span = rng.randrange(365, 8 * 365) * 86400
    return [start + timedelta(seconds=rng.randrange(span)) for _ in range(rng.randrange(3, 61))]


def year_ends(rng: random.Random) -> list[datetime]:
    """Backups only in the last and first ten days of years whose ISO weeks cross the
    year: the same week number falls in two calendar years, and one ISO week in two."""
    first = rng.choice(YEAR_ENDS) - rng.randrange(0, 3)
    backups = []
    for year in range(first, first + rng.randrange(2, 5)):
        for offset in range(-10, 10):
            if rng.random() < 0.45:
                day = date(year + 1, 1, 1) + timedelta(days=offset)
                backups += [_at(rng, day) for _ in range(rng.randrange(1, 3))]
    return backups


GENERATORS = {"dense": dense, "daily": daily, "sparse": sparse, "year_ends": year_ends}

#: Time zones for aware histories. Every aware backup is made between 10:00 and 14:00 UTC
#: and no zone is more than 9 hours from UTC, so its own calendar day is its UTC day: the
#: contract does not say whether periods follow each datetime's own clock or UTC, and these
#: histories give the same answer under either reading.
ZONES = (timezone.utc, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5)),
         timezone(timedelta(hours=9)), timezone(timedelta(hours=-8, minutes=-30)),
         timezone(timedelta(hours=5, minutes=45)))


def aware(rng: random.Random, backups: list[datetime], mixed: bool) -> list[datetime]:
    result = []
    for moment in backups:
        noon = datetime(moment.year, moment.month, moment.day, 10, tzinfo=timezone.utc)
        instant = noon + timedelta(seconds=(moment.hour * 3600 + moment.minute * 60
                                            + moment.second) % (4 * 3600))
        zone = rng.choice(ZONES) if mixed else timezone.utc
        local = instant.astimezone(zone)
        assert local.date() == instant.date(), "a generated history where the day is ambiguous"
        result.append(local)
    return result


def options(rng: random.Random, rules: tuple[str, ...] = RULES) -> dict[str, int]:
    """A retention policy over `rules`: small counts, sometimes more than there are
    periods, never all zero."""
    while True:
        chosen = {rule: rng.choice((0, 0, 1, 2, 3, 5, 8, 40)) for rule in rules}
        if any(chosen.values()):
            return chosen


def history(seed: int, kind: str, *, duplicates: bool = True,
            zones: str = "naive") -> list[datetime]:
    """A shuffled generated history; some with a few backups listed twice."""
    rng = random.Random(f"{kind}-{seed}")
    backups = GENERATORS[kind](rng)
    if zones != "naive":
        backups = aware(rng, backups, mixed=zones == "mixed")
    if duplicates and backups and rng.random() < 0.3:
        backups += rng.sample(backups, min(len(backups), rng.randrange(1, 4)))
    rng.shuffle(backups)
    return backups


def check_generated(select_backups, kind: str, seeds: range, *, rules: tuple[str, ...] = RULES,
                    duplicates: bool = True, zones: str = "naive") -> None:
    """Many seeded histories of one kind against the model; the first wrong answer fails
    with its seed, its input and what was wrongly kept or dropped."""
    for seed in seeds:
        backups = history(seed, kind, duplicates=duplicates, zones=zones)
        policy = options(random.Random(f"options-{kind}-{seed}"), rules)
        got = select_backups(list(backups), **{rule: n for rule, n in policy.items() if n})
        compare(got, backups, policy, f"generated {kind!r} history, seed {seed}")

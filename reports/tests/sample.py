"""Hand-made figures for presentation and chart tests: some cells 0, some 1–4, some ≥ 5."""

import copy


def _row(key: str, name: str, counts: list[int], unassessed: int) -> dict:
    return {
        "key": key,
        "name": name,
        "zones": {str(z): n for z, n in zip(range(1, 6), counts, strict=True)},
        "unassessed": unassessed,
        "children": sum(counts) + unassessed,
    }


def quarter(label: str, *, zone4: int = 30, zone5: int = 3) -> dict:
    total = _row("", "", [1200, 300, 100, zone4, zone5], 367)
    return {
        "quarter": label,
        "start": "2026-07-01",
        "end": "2026-09-30",
        "scope": {"units": None, "label": "Hele kommunen"},
        "zones": {
            "total": {k: total[k] for k in ("zones", "unassessed", "children")},
            "by_district": [
                _row("1", "Nordby", [600, 150, 50, 20, 3], 200),
                _row("2", "Sydby", [600, 150, 50, 10, 0], 167),
            ],
            "by_unit_kind": [_row("skole", "Skole", [800, 200, 60, 20, 2], 250)],
            "by_age_band": [_row("0-2", "0–2 år", [100, 10, 4, 0, 0], 20)],
        },
        "movement": {
            "matrix": [
                [500, 20, 2, 0, 0],
                [30, 100, 10, 0, 0],
                [3, 12, 40, 6, 0],
                [0, 0, 7, 10, 1],
                [0, 0, 0, 2, 1],
            ],
            "children": 744,
            "improved": 54,
            "unchanged": 651,
            "worsened": 39,
        },
        "concerns": {"new": 87, "children": 80},
        "underretninger": {
            "received": 40,
            "assessed_within_24h": 38,
            "receipts_due": 30,
            "receipt_within_6_days": 27,
        },
        "cases": {"opened": 12, "closed": 3, "open_at_end": 1234},
        "meetings": {"due": 50, "on_time": 41, "late": 6, "missed": 3},
        "staircase": {
            "by_step": {"1": 40, "2": 25, "3": 12, "4": 4, "5": 6, "6": 0},
            "moves": 10,
            "moves_down": 8,
            "moves_up": 2,
        },
        "beacons": {
            "early_detection": {
                "first_concerns": 60,
                "first_concerns_zone_1_3": 51,
                "first_concerns_assessed": 58,
                "median_days_to_dialogue": 12,
                "with_dialogue": 45,
                "absence_flagged": 20,
                "absence_acted_on": 14,
            },
            "coherence": {
                "transitions": 120,
                "transitions_with_handover": 90,
                "transitions_acknowledged": 3,
                "cases": 1234,
                "cases_two_professions": 900,
            },
            "participation": {
                "dialogues": 200,
                "with_parents": 180,
                "with_child_voice": 4,
                "child_took_part": 50,
            },
        },
    }


def figures() -> dict:
    """2026Q3 with comparison; zone 4–5: 33 of 1,633 (2 %), Q2 50 of 1,650 (3 %),
    last year zone 5 is 2, so its share is hidden."""
    this = quarter("2026Q3")
    this["comparison"] = {
        "previous": quarter("2026Q2", zone4=40, zone5=10),
        "last_year": quarter("2025Q3", zone4=40, zone5=2),
    }
    return copy.deepcopy(this)

"""Applications spanning 2022-2025 with carry-overs both ways, and their hand-counted tables.

    ref  applicant        received     closed       result
    J    natural_person   2022-12-31   2023-01-01   3.1     carried 2022 → 2023
    A    natural_person   2023-03-01   2023-03-20   3.1
    B    natural_person   2023-12-20   2024-01-10   3.2     carried 2023 → 2024
    C    commercial       2023-12-28   2025-02-01   3.3.4   open across two year ends
    I    natural_person   2024-01-01   2024-12-31   3.3.1   first and last day of 2024
    D    research         2024-05-05   2024-05-30   3.4.1
    F    legal_service    2024-12-15   2025-01-05   3.5.2   carried 2024 → 2025
    E    natural_person   2024-12-30   —            —       still open
    G    social_welfare   2025-06-01   2025-06-20   3.6.2
    H    other_org        2025-11-01   2025-12-31   3.6.1
    K    commercial       —            —            —       submitted, never received
"""

import datetime as dt

D = dt.date

APPLICATIONS = [
    # (ref, applicant_type, received, closed, result)
    ("J", "natural_person", D(2022, 12, 31), D(2023, 1, 1), "3.1"),
    ("A", "natural_person", D(2023, 3, 1), D(2023, 3, 20), "3.1"),
    ("B", "natural_person", D(2023, 12, 20), D(2024, 1, 10), "3.2"),
    ("C", "commercial", D(2023, 12, 28), D(2025, 2, 1), "3.3.4"),
    ("I", "natural_person", D(2024, 1, 1), D(2024, 12, 31), "3.3.1"),
    ("D", "research", D(2024, 5, 5), D(2024, 5, 30), "3.4.1"),
    ("F", "legal_service", D(2024, 12, 15), D(2025, 1, 5), "3.5.2"),
    ("E", "natural_person", D(2024, 12, 30), None, ""),
    ("G", "social_welfare", D(2025, 6, 1), D(2025, 6, 20), "3.6.2"),
    ("H", "other_org", D(2025, 11, 1), D(2025, 12, 31), "3.6.1"),
    ("K", "commercial", None, None, ""),
]

# Hand-counted non-zero cells of section 三 (the 总计 column and row 3.7 included).
EXPECTED = {
    2023: {
        "1": {"natural_person": 2, "commercial": 1, "total": 3},
        "2": {"natural_person": 1, "total": 1},
        "3.1": {"natural_person": 2, "total": 2},
        "3.7": {"natural_person": 2, "total": 2},
        "4": {"natural_person": 1, "commercial": 1, "total": 2},
    },
    2024: {
        "1": {"natural_person": 2, "research": 1, "legal_service": 1, "total": 4},
        "2": {"natural_person": 1, "commercial": 1, "total": 2},
        "3.2": {"natural_person": 1, "total": 1},
        "3.3.1": {"natural_person": 1, "total": 1},
        "3.4.1": {"research": 1, "total": 1},
        "3.7": {"natural_person": 2, "research": 1, "total": 3},
        "4": {"natural_person": 1, "commercial": 1, "legal_service": 1, "total": 3},
    },
    2025: {
        "1": {"social_welfare": 1, "other_org": 1, "total": 2},
        "2": {"natural_person": 1, "commercial": 1, "legal_service": 1, "total": 3},
        "3.3.4": {"commercial": 1, "total": 1},
        "3.5.2": {"legal_service": 1, "total": 1},
        "3.6.1": {"other_org": 1, "total": 1},
        "3.6.2": {"social_welfare": 1, "total": 1},
        "3.7": {"commercial": 1, "legal_service": 1, "social_welfare": 1, "other_org": 1,
                "total": 4},
        "4": {"natural_person": 1, "total": 1},
    },
}
CARRIED_IN = {2023: ["J"], 2024: ["B", "C"], 2025: ["C", "E", "F"]}
CARRIED_OUT = {2023: ["B", "C"], 2024: ["C", "E", "F"], 2025: ["E"]}


def full_table(nonzero: dict) -> dict:
    from gongkai.reports.tables import COLUMN_KEYS, ROW_KEYS

    return {r: {c: nonzero.get(r, {}).get(c, 0) for c in COLUMN_KEYS} for r in ROW_KEYS}

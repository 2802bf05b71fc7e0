"""Generated volume for the benchmark database, added on top of `flask demo-data`.

Everything goes in with SQLAlchemy core bulk inserts (one executemany per table) and explicit
ids, so the whole load takes about a second. Every generated user reuses the demo users'
password hash: Argon2 is slow on purpose and hashing thousands of passwords would dominate.
"""
import random
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, insert, select

FIRST_NAMES = """Anders Astrid Bjørn Camilla Dag Eirik Elin Frida Geir Guro Hanne Hilde Ingrid Ivar Jon Jorunn
Kjersti Knut Lars Linn Magnus Marit Nils Nora Odd Oda Paal Ragnhild Sigrid Silje Solveig Stian Tone Trond
Turid Vegard Vilde Åse Øystein Synnøve""".split()
LAST_NAMES = """Aasen Bakken Berg Dahl Eide Fjeld Gjerde Haugen Helland Holm Hovde Iversen Johansen Kvalheim
Lien Lund Moe Myklebust Nilsen Ødegård Olsen Rønning Sande Skarstein Solberg Strand Sætre Tangen Ulvestad
Vik Aune Brekke Hagen Løvik Rød""".split()
YOUTH_FIRST = """Aksel Alma Amalie Emil Filip Hedda Ida Isak Jakob Julie Leah Liam Mathea Noah Nora Oliver
Oskar Sara Selma Sofie Theo Tiril Tobias Vetle Vilja William Ylva Ebba Iben Lykke""".split()
TITLES = """Angst og søvn|Trivsel på skulen|Skulevegring|Konsentrasjon og læring|Tristheit|Sosial angst|
Overgang til vidaregåande|Sorg etter dødsfall i familien|Utmatting|Uro og sinne|Eteproblem|Mobbing|
Språkvanskar|Søvnvanskar|Samarbeid heim og skule|Oppfølging etter innlegging""".replace("\n", "").split("|")
MUNICIPALITIES = ["Kristiansund", "Ålesund", "Volda", "Ørsta", "Sunndal", "Surnadal", "Hustadvika"]

# The professional whose worklist the benchmark loads.
KARI = "kari@bup.demo"


def _next_id(table) -> int:
    from core.extensions import db

    return (db.session.scalar(select(func.max(table.c.id))) or 0) + 1


def _name(rng: random.Random, first=FIRST_NAMES) -> str:
    return f"{rng.choice(first)} {rng.choice(LAST_NAMES)}"


def _birth_date(rng: random.Random, today: date) -> date:
    return today - timedelta(days=rng.randint(10 * 365, 18 * 365 - 30))


STATEMENTS = """Eg likar å teikne|Eg søv dårleg|Eg gruar meg til matteprøvene|Eg ønskjer meir tid med venene mine|
Det er vanskeleg å konsentrere seg i timane|Fotballtreningane hjelper|Eg vil ikkje byte skule|
Eg blir sliten av mykje støy|Eg treng at nokon spør korleis eg har det""".replace("\n", "").split("|")


def _voice(rng: random.Random, now: datetime, youth_rows: list, pathway_rows: list) -> list:
    """Each generated young person's statements (with their first version) and two meetings."""
    from pathways.models import Meeting, MeetingKind
    from youth.models import Prompt, Sharing, Statement, StatementVersion

    statements_t, versions_t, meetings_t = Statement.__table__, StatementVersion.__table__, Meeting.__table__
    next_statement, next_version, next_meeting = _next_id(statements_t), _next_id(versions_t), _next_id(meetings_t)
    statements, versions, meetings = [], [], []
    for young, pathway in zip(youth_rows, pathway_rows):
        for _ in range(rng.randint(2, 8)):
            at = now - timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 1439))
            row = {"id": next_statement, "pathway_id": pathway["id"], "author_id": young["id"],
                   "author_role": "young_person", "prompt": rng.choice(list(Prompt)), "text": rng.choice(STATEMENTS),
                   "sharing": rng.choice([Sharing.TEAM, Sharing.FAMILY, Sharing.PRIVATE]), "not_for_parents": False,
                   "revision": 1, "created_at": at, "updated_at": at}
            statements.append(row)
            versions.append({"id": next_version, "statement_id": next_statement, "revision": 1,
                             "prompt": row["prompt"], "text": row["text"], "sharing": row["sharing"],
                             "not_for_parents": False, "removed": False, "saved_at": at,
                             "saved_by_id": young["id"]})
            next_statement += 1
            next_version += 1
        for days in (-rng.randint(10, 60), rng.randint(1, 30)):
            starts = (now + timedelta(days=days)).replace(minute=0, second=0)
            meetings.append({"id": next_meeting, "pathway_id": pathway["id"], "kind": rng.choice(list(MeetingKind)),
                             "starts_at": starts, "ends_at": starts + timedelta(hours=1), "place": "Møterom 1",
                             "video": False, "purpose": "Høyre korleis det går", "young_person_invited": True,
                             "parents_invited": True, "created_by_id": pathway["coordinator_id"],
                             "created_at": starts - timedelta(days=14)})
            next_meeting += 1
    return [(statements_t, statements), (versions_t, versions), (meetings_t, meetings)]


def add_volume(*, pathways: int = 1000, professionals: int = 200, services: int = 6,
               kari_pathways: int = 50, kari_coordinates: int = 10, seed: int = 2026) -> dict[str, int]:
    """Add generated services, professionals, young people, pathways, teams and history.

    Call inside an app context, after `load_demo_data()`. Returns the number of rows per table.
    """
    from accounts.models import Role, Service, ServiceKind, User, YoungPerson, professional_services
    from core.extensions import db
    from pathways.models import EventKind, Pathway, PathwayEvent, TeamMember

    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    today = now.date()
    users_t, services_t = User.__table__, Service.__table__
    people_t, pathways_t = YoungPerson.__table__, Pathway.__table__
    members_t, events_t = TeamMember.__table__, PathwayEvent.__table__

    kari = db.session.scalar(select(User).where(User.email == KARI))
    if kari is None:
        raise RuntimeError(f"{KARI} is missing: load the demo data first")
    password_hash = kari.password_hash  # Argon2 once, in demo-data; reused by everyone below

    # Services.
    kinds = list(ServiceKind)
    first_service = _next_id(services_t)
    service_rows = []
    for i in range(services):
        kind = kinds[i % len(kinds)]
        place = MUNICIPALITIES[i % len(MUNICIPALITIES)]
        service_rows.append({"id": first_service + i, "name": f"{kind.value.upper()} {place} (bench {i + 1})",
                             "kind": kind, "municipality": place})
    service_ids = [row["id"] for row in service_rows]

    # Professionals, each in one service and some in two.
    next_user = _next_id(users_t)
    pro_rows, link_rows = [], []
    for i in range(professionals):
        uid = next_user + i
        pro_rows.append({"id": uid, "role": Role.PROFESSIONAL, "email": f"fagperson{i + 1:03d}@bench.test",
                         "username": None, "name": _name(rng), "password_hash": password_hash,
                         "locale": rng.choice(["nn", "nb", None]), "active": True,
                         "created_at": now - timedelta(days=rng.randint(400, 1500))})
        own = rng.sample(service_ids, 2 if rng.random() < 0.2 else 1)
        link_rows.extend({"user_id": uid, "service_id": sid} for sid in own)
    pro_ids = [row["id"] for row in pro_rows]
    next_user += professionals

    # Young people with accounts, one pathway each.
    first_person, first_pathway, next_event = _next_id(people_t), _next_id(pathways_t), _next_id(events_t)
    youth_rows, person_rows, pathway_rows, member_rows, event_rows = [], [], [], [], []
    names = {row["id"]: row["name"] for row in pro_rows} | {kari.id: kari.name}
    kari_on = set(rng.sample(range(pathways), kari_pathways))
    kari_leads = set(rng.sample(sorted(kari_on), kari_coordinates))
    for i in range(pathways):
        uid, pid, pwid = next_user + i, first_person + i, first_pathway + i
        created = now - timedelta(days=rng.randint(1, 730), minutes=rng.randint(0, 1439))
        name = _name(rng, YOUTH_FIRST)
        youth_rows.append({"id": uid, "role": Role.YOUNG_PERSON, "email": None, "username": f"ung{i + 1:04d}",
                           "name": name, "password_hash": password_hash, "locale": rng.choice(["nn", "nb"]),
                           "active": True, "created_at": created + timedelta(days=rng.randint(1, 20))})
        person_rows.append({"id": pid, "name": name, "birth_date": _birth_date(rng, today), "user_id": uid,
                            "created_at": created})
        team = rng.sample(pro_ids, rng.randint(1, 3))  # 1-3 members, the first is the coordinator
        if i in kari_leads:
            team[0] = kari.id
        elif i in kari_on:
            team.append(kari.id)
        coordinator = team[0]
        pathway_rows.append({"id": pwid, "young_person_id": pid, "title": rng.choice(TITLES),
                             "coordinator_id": coordinator, "created_at": created})
        event_rows.append({"id": next_event, "pathway_id": pwid, "kind": EventKind.CREATED, "at": created,
                           "actor_id": coordinator, "subject_name": pathway_rows[-1]["title"]})
        next_event += 1
        for n, member in enumerate(team):
            added = created + timedelta(hours=n * rng.randint(1, 72))
            member_rows.append({"pathway_id": pwid, "user_id": member, "added_at": added,
                                "added_by_id": coordinator})
            if n:
                event_rows.append({"id": next_event, "pathway_id": pwid, "kind": EventKind.MEMBER_ADDED,
                                   "at": added, "actor_id": coordinator, "subject_name": names[member]})
                next_event += 1

    batches = [
        (services_t, service_rows), (users_t, pro_rows), (professional_services, link_rows),
        (users_t, youth_rows), (people_t, person_rows), (pathways_t, pathway_rows),
        (members_t, member_rows), (events_t, event_rows),
        *_voice(rng, now, youth_rows, pathway_rows),
    ]
    for table, rows in batches:
        db.session.execute(insert(table), rows)
    db.session.commit()  # no ANALYZE: the app never runs it, so the planner works without statistics
    counts: dict[str, int] = {}
    for table, rows in batches:
        counts[table.name] = counts.get(table.name, 0) + len(rows)
    counts["kari_pathways"] = len(kari_on)
    return counts

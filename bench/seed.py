"""Generated volume for the benchmark database, added on top of `flask demo-data`.

    add_volume()                     # the full volume (see VOLUME): 10,000 pathways, ~107,000
                                     # statements, 1,000,000 access_log rows, kari on 200 teams
    add_volume(pathways=1000, access_log=100_000)   # a tenth, for quick tries

Everything goes in with SQLAlchemy core bulk inserts (executemany in batches of BATCH rows) with
explicit ids. Every generated user reuses the demo users' Argon2 password hash: Argon2 is slow on
purpose and hashing thousands of passwords would dominate. On PostgreSQL the id sequences are moved
past the generated ids afterwards (the app inserts without ids), then VACUUM ANALYZE, as autovacuum
would do in production; on SQLite no ANALYZE (the app never runs it).

What is generated, per young person (one pathway each; ages 7-18):
- a team of 1-3 professionals (the first is the coordinator), a care pathway template and step, a
  BTI level, the history (created, members added, step and level changes, goals and measures added,
  minutes written); 3 % of the pathways are closed;
- 0-2 parent accounts (60 % have one, a fifth of those a second), with parental responsibility;
- 6-14 statements by the young person and 0-3 by a parent, 1-2 versions each, their sharing
  choice recorded; a tenth are drafts ("only me"), which nobody else reads;
- 2-3 held meetings and one to come, with invitees, 1-3 agreement points per held meeting (half
  answered by the young person), minutes for half of them; preparations for the meeting to come
  (60 % of young people, 30 % of parents), with their versions;
- 1-2 goals with 1-2 measures each (a third overdue, a third evaluated), the first goal linked to a
  statement;
- a rating request after the last held meeting for the young person and each parent, 70 %
  answered (five scale answers, a free text on one in five, 5 % low: an alert, mostly seen);
- the access log: ACCESS_LOG rows spread uniformly over every (readable entry, team member) pair,
  so each team member has read each statement and preparation shared with the team about five
  times, at random times after it was written (kari's 200 pathways get their share, about 2 %);
- pathway visits for every team member.

One of the pathways kari coordinates has five years of history (issue 18): created 5 years ago, with
a held meeting every month (60, with their agreement points), about two statements a month from the
young person and some from a parent, and its events. bench/run.py measures kari's pathway page on it.
"""
import random
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import func, insert, select, text

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
MUNICIPALITIES = ["Kristiansund", "Ålesund", "Volda", "Ørsta", "Sunndal", "Surnadal", "Hustadvika", "Molde"]
STATEMENTS = """Eg likar å teikne|Eg søv dårleg|Eg gruar meg til matteprøvene|Eg ønskjer meir tid med venene mine|
Det er vanskeleg å konsentrere seg i timane|Fotballtreningane hjelper|Eg vil ikkje byte skule|
Eg blir sliten av mykje støy|Eg treng at nokon spør korleis eg har det|Eg vil at mamma og pappa skal krangle mindre|
Friminutta er dei verste timane på dagen|Eg har lyst til å begynne på korps igjen""".replace("\n", "").split("|")
PARENT_STATEMENTS = """Han søv dårleg og er sliten om morgonen|Ho har vore meir for seg sjølv i haust|
Vi treng hjelp til å få skulen og heimen til å dra i lag|Det går betre når dagane er føreseielege""".replace(
    "\n", "").split("|")
GOALS = ["Søve godt nok til å orke skuledagen", "Gruar seg mindre til skulen", "Har ein vaksen å snakke med på skulen",
         "Er med på ein fritidsaktivitet kvar veke", "Kjem på skulen kvar dag"]
MEASURES = ["Søvndagbok i to veker, gå gjennom den saman", "Samtale med helsesjukepleiaren kvar veke",
            "Avtale med kontaktlæraren om pausar", "Kartlegging hos PPT", "Tilrettelagt timeplan ut terminen",
            "Foreldrerettleiing, fire samtalar"]
AGREEMENTS = ["Skriv ned kva tid du legg deg kvar kveld", "Kontaktlæraren får vite kva som er vanskeleg",
              "Vi møtest igjen om fire veker", "Mor ringjer helsesjukepleiaren om det blir verre"]

# The professional whose worklist and pathways the benchmark loads.
KARI = "kari@bup.demo"
LONG_HISTORY_YEARS = 5  # the history of the one long pathway on kari's list
# The full volume (issue 15); bench/run.py uses it on both databases unless told otherwise.
VOLUME = {"pathways": 10_000, "access_log": 1_000_000, "kari_pathways": 200}
BATCH = 20_000  # rows per executemany


def _name(rng: random.Random, first=FIRST_NAMES) -> str:
    return f"{rng.choice(first)} {rng.choice(LAST_NAMES)}"


class Rows:
    """Rows to insert, per table, with ids handed out from the table's current maximum."""

    def __init__(self, db):
        self.db = db
        self.by_table: dict = {}
        self.order: list = []
        self.next_ids: dict = {}

    def new_id(self, table) -> int:
        if table.name not in self.next_ids:
            self.next_ids[table.name] = (self.db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        self.next_ids[table.name] += 1
        return self.next_ids[table.name] - 1

    def add(self, table, row: dict) -> dict:
        if table.name not in self.by_table:
            self.by_table[table.name] = []
            self.order.append(table)
        self.by_table[table.name].append(row)
        return row

    def insert_all(self, order: list) -> dict[str, int]:
        counts = {}
        for table in order:
            rows = self.by_table.get(table.name, [])
            insert_batches(self.db, table, rows)
            counts[table.name] = len(rows)
        return counts


def insert_batches(db, table, rows: list) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start:start + BATCH])


def add_volume(*, pathways: int = VOLUME["pathways"], access_log: int = VOLUME["access_log"],
               kari_pathways: int = VOLUME["kari_pathways"], seed: int = 2026) -> dict[str, int]:
    """Add the generated volume. Call inside an app context, after `load_demo_data()`.

    `kari_pathways`: how many teams kari@bup.demo is on in all, the demo's own included; she
    coordinates about a fifth. Returns the number of rows added per table."""
    from accounts.models import ParentLink, Role, Service, ServiceKind, User, YoungPerson, professional_services
    from core.extensions import db
    from feedback import services as feedback
    from feedback.models import (
        FeedbackAlert, FeedbackAnswer, FeedbackRequest, FeedbackResponse, RequestReason, ResponseSharing,
    )
    from pathways.models import (
        AccessLog, Agreement, AgreementAnswer, Evaluation, EventKind, Goal, InputKind, Measure, Meeting,
        MeetingInvitee, MeetingKind, MeetingMinutes, Pathway, PathwayEvent, PathwayTemplate, PathwayVisit,
        TeamMember, TemplateStep, goal_statements,
    )
    from youth.models import (
        PREPARATION_FIELDS, Participation, Preparation, PreparationVersion, Prompt, Sharing, Statement,
        StatementVersion, VisibilityChange, VisibilityKind,
    )

    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    today = now.date()
    t = {model.__name__: model.__table__ for model in (
        User, Service, YoungPerson, ParentLink, Pathway, TeamMember, PathwayEvent, Meeting, MeetingInvitee,
        Agreement, AgreementAnswer, MeetingMinutes, Statement, StatementVersion, VisibilityChange, Preparation,
        PreparationVersion, Goal, Measure, Evaluation, FeedbackRequest, FeedbackResponse, FeedbackAnswer,
        FeedbackAlert, PathwayVisit, AccessLog)}
    rows = Rows(db)
    if db.engine.dialect.name == "sqlite":
        # This connection only: a page cache that holds the indexes being filled (the default 2 MB
        # makes every index insert a read from the file).
        db.session.execute(text("PRAGMA cache_size = -400000"))
    else:
        # This session only: no foreign-key triggers row by row (the generated rows refer only to rows
        # inserted before them); a third of the load's time otherwise.
        db.session.execute(text("SET session_replication_role = replica"))

    kari = db.session.scalar(select(User).where(User.email == KARI))
    if kari is None:
        raise RuntimeError(f"{KARI} is missing: load the demo data first")
    password_hash = kari.password_hash  # Argon2 once, in demo-data; reused by everyone below
    kari_teams_now = db.session.scalar(
        select(func.count()).select_from(TeamMember).where(TeamMember.user_id == kari.id))
    kari_new = max(kari_pathways - kari_teams_now, 0)

    templates = list(db.session.scalars(select(PathwayTemplate).where(PathwayTemplate.active.is_(True))))
    steps = {tpl.id: list(db.session.scalars(select(TemplateStep).where(TemplateStep.template_id == tpl.id)
                                            .order_by(TemplateStep.position))) for tpl in templates}
    templates = [tpl for tpl in templates if steps[tpl.id]]
    version = feedback.current_version(feedback.MEETING_SET)
    scale_items = [item.id for item in version.items if item.scale is not None]
    text_items = [item.id for item in version.items if item.scale is None]

    # --- services and professionals: 12 new services, 600 professionals (some in two services,
    # some in the demo's services); about 35 pathways each, kari far more.
    demo_services = list(db.session.scalars(select(Service)))
    service_rows = []
    kinds = list(ServiceKind)
    for i in range(12):
        kind, place = kinds[i % len(kinds)], MUNICIPALITIES[i % len(MUNICIPALITIES)]
        service_rows.append(rows.add(t["Service"], {"id": rows.new_id(t["Service"]),
                                                    "name": f"{kind.value.upper()} {place} (bench {i + 1})",
                                                    "kind": kind, "municipality": place}))
    service_names = {s.id: s.name for s in demo_services} | {r["id"]: r["name"] for r in service_rows}
    all_service_ids = list(service_names)
    pros, reader_services = [], {kari.id: kari.service_names[:300]}
    names = {kari.id: kari.name}
    for i in range(600):
        uid = rows.new_id(t["User"])
        name = _name(rng)
        rows.add(t["User"], {"id": uid, "role": Role.PROFESSIONAL, "email": f"fagperson{i + 1:03d}@bench.test",
                             "username": None, "name": name, "password_hash": password_hash,
                             "locale": rng.choice(["nn", "nb", None]), "active": True,
                             "created_at": now - timedelta(days=rng.randint(400, 1500))})
        own = rng.sample(all_service_ids, 2 if rng.random() < 0.2 else 1)
        for sid in own:
            rows.add(professional_services, {"user_id": uid, "service_id": sid})
        pros.append(uid)
        names[uid] = name
        reader_services[uid] = ", ".join(sorted(service_names[s] for s in own))[:300]
    first_service = {kari.id: kari.services[0].id if kari.services else all_service_ids[0]}
    first_service |= {r["user_id"]: r["service_id"] for r in reversed(rows.by_table["professional_services"])}

    # --- young people, parents, pathways and their teams.
    kari_on = set(rng.sample(range(pathways), min(kari_new, pathways)))
    kari_leads = set(rng.sample(sorted(kari_on), len(kari_on) // 5))
    long_history = min(kari_leads) if kari_leads else None  # the pathway with five years of history
    counts_long = {"long_history_pathway": None}
    pathway_list = []  # (pathway row, young user id, [parent user ids], [team member ids], birth date)
    for i in range(pathways):
        created = now - timedelta(days=rng.randint(20, 730), minutes=rng.randint(0, 1439))
        if i == long_history:
            created = now - timedelta(days=365 * LONG_HISTORY_YEARS)
        name = _name(rng, YOUTH_FIRST)
        uid = rows.new_id(t["User"])
        rows.add(t["User"], {"id": uid, "role": Role.YOUNG_PERSON, "email": None, "username": f"ung{i + 1:05d}",
                             "name": name, "password_hash": password_hash, "locale": rng.choice(["nn", "nb"]),
                             "active": True, "created_at": created + timedelta(days=rng.randint(1, 14))})
        born = today - timedelta(days=rng.randint(7 * 365 + 30, 18 * 365 - 30))
        person_id = rows.new_id(t["YoungPerson"])
        rows.add(t["YoungPerson"], {"id": person_id, "name": name, "birth_date": born, "user_id": uid,
                                    "created_at": created})
        parents = []
        if rng.random() < 0.6:
            for n in range(2 if rng.random() < 0.2 else 1):
                pid = rows.new_id(t["User"])
                rows.add(t["User"], {"id": pid, "role": Role.PARENT, "email": None,
                                     "username": f"forelder{i + 1:05d}{'ab'[n]}", "name": _name(rng),
                                     "password_hash": password_hash, "locale": rng.choice(["nn", "nb"]),
                                     "active": True, "created_at": created + timedelta(days=rng.randint(1, 14))})
                rows.add(t["ParentLink"], {"id": rows.new_id(t["ParentLink"]), "young_person_id": person_id,
                                           "user_id": pid, "parental_responsibility": True,
                                           "created_at": created + timedelta(days=2)})
                parents.append(pid)
        team = rng.sample(pros, rng.randint(1, 3))
        if i in kari_leads:
            team[0] = kari.id
        elif i in kari_on:
            team.append(kari.id)
        coordinator = team[0]
        template = rng.choice(templates)
        template_steps = steps[template.id]
        step_index = rng.randrange(len(template_steps))
        level = rng.choice([None, 0, 1, 1, 2, 2, 3])
        closed = rng.random() < 0.03 and i != long_history
        pathway = rows.add(t["Pathway"], {
            "id": rows.new_id(t["Pathway"]), "young_person_id": person_id, "title": rng.choice(TITLES),
            "coordinator_id": coordinator, "created_at": created, "template_id": template.id,
            "step_id": template_steps[step_index].id, "bti_level": level,
            "bti_level_set_at": None if level is None else created + timedelta(days=rng.randint(1, 15)),
            "closed_at": now - timedelta(days=rng.randint(1, 15)) if closed else None,
            "closed_by_id": coordinator if closed else None,
            "closing_summary": "Målet er nådd; vi avsluttar forløpet." if closed else None})
        pathway_list.append((pathway, uid, parents, team, born))
        if i == long_history:
            counts_long = {"long_history_pathway": pathway["id"]}

        def event(kind, at, actor=coordinator, subject=None, detail=None, pathway_id=pathway["id"]):
            rows.add(t["PathwayEvent"], {"id": rows.new_id(t["PathwayEvent"]), "pathway_id": pathway_id,
                                         "kind": kind, "at": at, "actor_id": actor, "subject_name": subject,
                                         "detail": detail})

        event(EventKind.CREATED, created, subject=pathway["title"])
        for n, member in enumerate(team):
            added = created + timedelta(hours=n * rng.randint(1, 72))
            rows.add(t["TeamMember"], {"pathway_id": pathway["id"], "user_id": member, "added_at": added,
                                       "added_by_id": coordinator})
            if n:
                event(EventKind.MEMBER_ADDED, added, subject=names[member])
        for step in template_steps[1:step_index + 1]:
            event(EventKind.STEP_CHANGED, created + timedelta(days=rng.randint(5, 19)), subject=step.name_nn,
                  detail=step.name_nb)
        if level is not None:
            event(EventKind.LEVEL_CHANGED, pathway["bti_level_set_at"], detail=str(level))
        if closed:
            event(EventKind.CLOSED, pathway["closed_at"], detail=pathway["closing_summary"])

    # --- what the family says, meetings, the relay log, ratings, and the reads of it all.
    readable = []  # (kind, item id, author id, pathway id, written at, team): entries the team reads
    for pathway, young, parents, team, born in pathway_list:
        pid, created, coordinator = pathway["id"], pathway["created_at"], pathway["coordinator_id"]
        age = (today - born).days // 365
        span = max((now - created).total_seconds(), 86400)
        months = (now - created).days // 30 if pid == counts_long["long_history_pathway"] else 0

        def moment(after=created, before=now):
            return after + timedelta(seconds=rng.random() * max((before - after).total_seconds(), 60))

        statement_ids = []
        for author, role, count, texts in ((young, Role.YOUNG_PERSON, max(rng.randint(6, 14), 2 * months), STATEMENTS),
                                           *((p, Role.PARENT, max(rng.randint(0, 3), months // 3), PARENT_STATEMENTS)
                                             for p in parents)):
            for _ in range(count):
                sid, at = rows.new_id(t["Statement"]), moment()
                sharing = rng.choices([Sharing.TEAM, Sharing.FAMILY, Sharing.PRIVATE], [6, 3, 1])[0]
                if role == Role.YOUNG_PERSON and age < 12 and sharing == Sharing.TEAM:
                    sharing = Sharing.FAMILY  # under 12 the answers are "my team (and my parents)" or "only me"
                text_now = rng.choice(texts)
                versions = rng.choice([1, 1, 1, 2])
                updated = at + timedelta(hours=rng.randint(1, 48)) if versions > 1 else at
                prompt = rng.choice(list(Prompt))
                rows.add(t["Statement"], {
                    "id": sid, "pathway_id": pid, "author_id": author, "author_role": role, "prompt": prompt,
                    "text": text_now, "sharing": sharing,
                    "revision": versions, "created_at": at, "updated_at": min(updated, now)})
                for revision in range(1, versions + 1):
                    rows.add(t["StatementVersion"], {
                        "id": rows.new_id(t["StatementVersion"]), "statement_id": sid, "revision": revision,
                        "prompt": prompt, "text": text_now if revision == versions else text_now + " (utkast)",
                        "sharing": sharing, "removed": False,
                        "saved_at": at if revision == 1 else min(updated, now), "saved_by_id": author})
                rows.add(t["VisibilityChange"], {
                    "id": rows.new_id(t["VisibilityChange"]), "item_kind": InputKind.STATEMENT, "item_id": sid,
                    "kind": VisibilityKind.SHARING, "sharing": sharing,
                    "by_id": author, "at": at})
                if sharing != Sharing.PRIVATE:
                    readable.append((InputKind.STATEMENT, sid, author, pid, at, team))
                    if role == Role.YOUNG_PERSON:
                        statement_ids.append(sid)

        # Meetings: 2-3 held, one to come (closed pathways: none to come).
        held = []
        for _ in range(max(rng.randint(2, 3), months)):
            starts = datetime.combine(moment(created + timedelta(days=7), now - timedelta(days=2)).date(),
                                      time(rng.randint(7, 13)), tzinfo=timezone.utc)
            held.append(starts)
        held.sort()
        upcoming = None if pathway["closed_at"] else datetime.combine(
            today + timedelta(days=rng.randint(1, 40)), time(rng.randint(7, 13)), tzinfo=timezone.utc)
        last_held = None
        for starts in held + ([upcoming] if upcoming else []):
            mid = rows.new_id(t["Meeting"])
            is_held = starts < now
            organiser, meeting_kind = rng.choice(team), rng.choice(list(MeetingKind))
            rows.add(t["Meeting"], {
                "id": mid, "pathway_id": pid, "kind": meeting_kind, "starts_at": starts,
                "ends_at": starts + timedelta(hours=1), "place": "Møterom 1", "video": rng.random() < 0.2,
                "purpose": "Høyre korleis det går", "young_person_invited": True, "parents_invited": bool(parents),
                "held_at": starts + timedelta(hours=1) if is_held else None, "created_by_id": organiser,
                "created_at": max(starts - timedelta(days=14), created)})
            for member in {organiser, coordinator}:
                rows.add(t["MeetingInvitee"], {"meeting_id": mid, "user_id": member})
            if is_held:
                last_held = (mid, starts, organiser)
                for _ in range(rng.randint(1, 3)):
                    aid = rows.new_id(t["Agreement"])
                    rows.add(t["Agreement"], {
                        "id": aid, "meeting_id": mid, "pathway_id": pid, "what": rng.choice(AGREEMENTS),
                        "who": names[organiser], "due_on": (starts + timedelta(days=rng.randint(7, 30))).date(),
                        "created_by_id": organiser, "created_at": starts + timedelta(hours=1)})
                    if rng.random() < 0.5:
                        rows.add(t["AgreementAnswer"], {
                            "id": rows.new_id(t["AgreementAnswer"]), "agreement_id": aid, "user_id": young,
                            "answer": "agree", "question": None, "at": min(starts + timedelta(days=1), now)})
                if rng.random() < 0.5:
                    rows.add(t["MeetingMinutes"], {
                        "id": rows.new_id(t["MeetingMinutes"]), "meeting_id": mid, "pathway_id": pid,
                        "text": "Vi gjekk gjennom korleis det har gått sidan sist og vart einige om vegen vidare.",
                        "written_by_id": organiser, "written_at": starts + timedelta(hours=2)})
                    rows.add(t["PathwayEvent"], {
                        "id": rows.new_id(t["PathwayEvent"]), "pathway_id": pid, "kind": EventKind.MINUTES_WRITTEN,
                        "at": starts + timedelta(hours=2), "actor_id": organiser, "subject_name": None,
                        "detail": meeting_kind.value})
            else:
                for author, share in ((young, 0.6), *((p, 0.3) for p in parents[:1])):
                    if rng.random() >= share:
                        continue
                    prep_id, at = rows.new_id(t["Preparation"]), now - timedelta(hours=rng.randint(1, 200))
                    answers = {f: "" for f in PREPARATION_FIELDS} | {
                        "talk_about": "Skulen og søvnen", "questions": "Kva skjer etter møtet?",
                        "hopes": "At det blir lettare å gå på skulen"}
                    participation = rng.choice(list(Participation)) if author == young else None
                    rows.add(t["Preparation"], {
                        "id": prep_id, "meeting_id": mid, "pathway_id": pid, "author_id": author,
                        "author_role": Role.YOUNG_PERSON if author == young else Role.PARENT,
                        "sharing": Sharing.TEAM, "revision": 1, "created_at": at,
                        "updated_at": at, "participation": participation, **answers})
                    rows.add(t["PreparationVersion"], {
                        "id": rows.new_id(t["PreparationVersion"]), "preparation_id": prep_id, "revision": 1,
                        "content": answers | {"participation": participation.value if participation else None},
                        "sharing": Sharing.TEAM, "saved_at": at, "saved_by_id": author})
                    rows.add(t["VisibilityChange"], {
                        "id": rows.new_id(t["VisibilityChange"]), "item_kind": InputKind.PREPARATION,
                        "item_id": prep_id, "kind": VisibilityKind.SHARING, "sharing": Sharing.TEAM,
                        "by_id": author, "at": at})
                    readable.append((InputKind.PREPARATION, prep_id, author, pid, at, team))

        # The relay log: goals and measures.
        for g in range(rng.randint(1, 2)):
            gid, at = rows.new_id(t["Goal"]), moment(created, created + timedelta(seconds=span / 2))
            goal_text = rng.choice(GOALS)
            rows.add(t["Goal"], {"id": gid, "pathway_id": pid, "text": goal_text, "not_for_parents": False,
                                 "created_by_id": coordinator, "created_at": at})
            rows.add(t["PathwayEvent"], {"id": rows.new_id(t["PathwayEvent"]), "pathway_id": pid,
                                         "kind": EventKind.GOAL_ADDED, "at": at, "actor_id": coordinator,
                                         "subject_name": None, "detail": goal_text})
            if g == 0 and statement_ids:
                rows.add(goal_statements, {"goal_id": gid, "statement_id": rng.choice(statement_ids)})
            for _ in range(rng.randint(1, 2)):
                mid, what, responsible = rows.new_id(t["Measure"]), rng.choice(MEASURES), rng.choice(team)
                fate = rng.random()
                deadline = today + timedelta(days=rng.randint(-30, -1) if fate < 0.66 else rng.randint(1, 60))
                rows.add(t["Measure"], {"id": mid, "pathway_id": pid, "goal_id": gid, "what": what,
                                        "responsible_id": responsible, "deadline": deadline,
                                        "created_by_id": coordinator, "created_at": at})
                rows.add(t["PathwayEvent"], {"id": rows.new_id(t["PathwayEvent"]), "pathway_id": pid,
                                             "kind": EventKind.MEASURE_ADDED, "at": at, "actor_id": coordinator,
                                             "subject_name": names[responsible], "detail": what})
                if fate < 0.33:  # evaluated; the rest of the past deadlines are overdue
                    rows.add(t["Evaluation"], {
                        "id": rows.new_id(t["Evaluation"]), "measure_id": mid, "evaluated_on": deadline,
                        "worked": "Det hjelpte litt", "next_step": "Held fram to veker til", "by_id": responsible,
                        "at": datetime.combine(deadline, time(12), tzinfo=timezone.utc)})

        # A rating after the last held meeting, by the young person and each parent.
        if last_held:
            mid, starts, organiser = last_held
            asked = starts + timedelta(hours=1)
            for person in (young, *parents):
                rid = rows.new_id(t["FeedbackRequest"])
                rows.add(t["FeedbackRequest"], {
                    "id": rid, "reason": RequestReason.MEETING, "set_id": version.set_id, "pathway_id": pid,
                    "user_id": person, "meeting_id": mid, "service_id": first_service[organiser],
                    "created_at": asked, "month": feedback.month_of(asked),
                    "closes_at": asked + timedelta(days=feedback.ANSWER_DAYS)})
                if rng.random() >= 0.7:
                    continue
                answered = min(asked + timedelta(hours=rng.randint(1, 72)), now)
                sharing = ResponseSharing.TEAM if rng.random() < 0.8 else ResponseSharing.ANONYMOUS
                response_id = rows.new_id(t["FeedbackResponse"])
                rows.add(t["FeedbackResponse"], {
                    "id": response_id, "request_id": rid, "version_id": version.id, "sharing": sharing,
                    "quote_allowed": False, "submitted_at": answered, "updated_at": answered})
                low = rng.random() < 0.05
                base = rng.choice([3, 4, 4, 5])
                for n, item in enumerate(scale_items):
                    value = 2 if low and n == 0 else max(3, min(5, base + rng.choice([-1, 0, 0, 1])))
                    rows.add(t["FeedbackAnswer"], {"response_id": response_id, "item_id": item, "value": value,
                                                   "text": None})
                if text_items and rng.random() < 0.2:
                    rows.add(t["FeedbackAnswer"], {"response_id": response_id, "item_id": text_items[0],
                                                   "value": None, "text": "Møtet var litt for langt."})
                if low and sharing == ResponseSharing.TEAM:
                    seen = rng.random() < 0.8
                    rows.add(t["FeedbackAlert"], {
                        "id": rows.new_id(t["FeedbackAlert"]), "response_id": response_id, "pathway_id": pid,
                        "reason": "low", "created_at": answered,
                        "seen_at": min(answered + timedelta(days=1), now) if seen else None,
                        "seen_by_id": coordinator if seen else None, "note": None})
                if sharing == ResponseSharing.TEAM:
                    readable.append((InputKind.FEEDBACK, response_id, person, pid, answered, team))

        for member in team:
            rows.add(t["PathwayVisit"], {"pathway_id": pid, "user_id": member,
                                         "seen_at": moment(max(created, now - timedelta(days=30)))})

    order = [t["Service"], t["User"], professional_services, t["YoungPerson"], t["ParentLink"], t["Pathway"],
             t["TeamMember"], t["PathwayEvent"], t["Meeting"], t["MeetingInvitee"], t["Agreement"],
             t["AgreementAnswer"], t["MeetingMinutes"], t["Statement"], t["StatementVersion"],
             t["VisibilityChange"], t["Preparation"], t["PreparationVersion"], t["Goal"], goal_statements,
             t["Measure"], t["Evaluation"], t["FeedbackRequest"], t["FeedbackResponse"], t["FeedbackAnswer"],
             t["FeedbackAlert"], t["PathwayVisit"]]
    counts = rows.insert_all(order)
    db.session.commit()
    rows.by_table.clear()

    # The access log: `access_log` reads spread uniformly over (readable entry, team member) pairs.
    pairs = [(kind, item, author, pid, at, reader) for kind, item, author, pid, at, team in readable
             for reader in team]
    next_read = rows.new_id(t["AccessLog"])
    log_t, written = t["AccessLog"], 0
    while written < access_log:
        chunk = []
        for kind, item, author, pid, at, reader in rng.choices(pairs, k=min(BATCH * 5, access_log - written)):
            chunk.append({"id": next_read, "at": at + (now - at) * rng.random(), "reader_id": reader,
                          "reader_services": reader_services[reader], "pathway_id": pid, "item_kind": kind,
                          "item_id": item, "author_id": author})
            next_read += 1
        insert_batches(db, log_t, chunk)
        written += len(chunk)
    db.session.commit()
    counts["access_log"] = written
    counts["kari_teams"] = kari_teams_now + len(kari_on)
    counts |= counts_long
    finish(db)
    return counts


def finish(db) -> None:
    """PostgreSQL: move each id sequence past the explicit ids, then VACUUM ANALYZE (autovacuum's
    work in production, done now so that it does not start in the middle of a measurement)."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        sequences = connection.execute(text(
            "SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name)"
            " FROM information_schema.columns WHERE table_schema = 'public' AND column_default LIKE 'nextval%'"
            " OR (table_schema = 'public' AND is_identity = 'YES')")).all()
        for table, column, sequence in sequences:
            if sequence:
                connection.execute(text(
                    f'SELECT setval(:s, coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)'),
                    {"s": sequence})
        connection.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))

"""What staff create (rag/staff): accounts and keys, conversations, feedback, the log — on SQLite and on a real
PostgreSQL server (Debian's package, started here in a temporary directory), through the API with the real
answerer."""
from __future__ import annotations

import http.client
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from fastapi.testclient import TestClient
from support import CALIBRATION, PROJECT_ROOT, free_port, private_copy

from rag.api import create_app
from rag.errors import BadInputError, NotFoundError
from rag.staff import accounts, records
from rag.staff.db import Database, DatabaseError

QUESTION = "济南对入选新型智慧城市试点示范的项目补助多少?"


def _pg_bin(name: str) -> str | None:
    import glob
    import shutil

    found = shutil.which(name)
    return found or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server of our own on a free loopback port, for this session; yields a function giving the URL
    of a new, empty database."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.fail("PostgreSQL is not installed: `make test` installs Debian's postgresql package")
    import shutil
    import tempfile
    from pathlib import Path

    # (not under pytest's folder: its parents are closed to other users, and the server runs as `postgres`)
    root = Path(tempfile.mkdtemp(prefix="policyqa-postgres-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    as_postgres = None
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root: run them as Debian's postgres user
        import pwd

        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        os.chown(sockets, user.pw_uid, user.pw_gid)

        def as_postgres() -> None:
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
    port = free_port()
    run = dict(check=True, capture_output=True, text=True, preexec_fn=as_postgres, timeout=120)
    subprocess.run([initdb, "-D", str(data), "-U", "policyqa", "--auth=trust", "-E", "UTF8", "--no-locale"], **run)
    subprocess.run([pg_ctl, "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                    f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=on", "start"], **run)
    import psycopg

    made = []

    def new_database() -> str:
        name = f"t{len(made)}"
        with psycopg.connect(f"postgresql://policyqa@127.0.0.1:{port}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return f"postgresql://policyqa@127.0.0.1:{port}/{name}"

    try:
        yield new_database
    finally:
        subprocess.run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], **run)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'policyqa.db'}"
    return request.getfixturevalue("postgres")()


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    yield database
    database.close()


def test_the_migrated_schema_is_the_models_and_passwords_and_keys_are_not_stored(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from rag.staff.models import Base

    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    Database(str(db.engine.url.render_as_string(hide_password=False)))  # opening again migrates nothing, loses nothing
    alice = accounts.add_user(db, "alice", "admin", "correct horse")
    with pytest.raises(BadInputError, match="exists"):
        accounts.add_user(db, "alice", "staff", "another pass")
    for name, role, password in (("bob", "boss", "long enough"), ("b o", "staff", "long enough"), ("bob", "staff", "short")):
        with pytest.raises(BadInputError):
            accounts.add_user(db, name, role, password)
    key = accounts.create_key(db, "alice")
    with db.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.exec_driver_sql("SELECT * FROM users").all() for v in row)
        stored += " ".join(str(v) for row in conn.exec_driver_sql("SELECT * FROM api_keys").all() for v in row)
    assert "correct horse" not in stored and key not in stored and "scrypt$" in stored
    assert accounts.login(db, "alice", "correct horse") == alice
    assert accounts.login(db, "alice", "correct horsE") is None and accounts.login(db, "nobody", "x" * 8) is None
    assert accounts.account_for_key(db, key) == alice and accounts.account_for_key(db, key + "x") is None
    with pytest.raises(NotFoundError):
        accounts.create_key(db, "nobody")
    assert accounts.revoke_keys(db, "alice") == 1 and accounts.account_for_key(db, key) is None


def test_an_unusable_database_url_is_one_line_naming_it(tmp_path):
    with pytest.raises(DatabaseError, match="not a database URL"):
        Database("no such thing")
    with pytest.raises(DatabaseError, match=r"postgresql\+psycopg://u:\*\*\*@127.0.0.1:1/x cannot be used"):
        Database("postgresql://u:secret@127.0.0.1:1/x")
    with pytest.raises(DatabaseError, match="only SQLite and PostgreSQL"):
        Database("mysql://u@h/x")


def _client(answerer, db) -> TestClient:
    return TestClient(create_app(answerer, db=db))


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_with_no_account_the_api_is_open_and_keeps_conversations(answerer, db):
    client = _client(answerer, db)
    assert client.get("/api/me").json() == {"open": True}
    conv = client.post("/api/conversations", json={}).json()
    first = client.post(f"/api/conversations/{conv['id']}/ask", json={"question": QUESTION}).json()
    assert first["citations"][0]["item_path"] == "二、(一)3.(1)" and first["turn_id"] >= 1
    assert client.get("/api/conversations").json()[0] == {**client.get("/api/conversations").json()[0],
                                                          "id": conv["id"], "title": QUESTION[:40], "turns": 1}
    assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200
    assert client.post("/api/ask", json={"question": "明天杭州天气怎么样?"}).json()["no_answer"] is True
    log = records.stats(db)
    assert [(q["route"], q["user"], q["no_answer"]) for q in log["log"]] == [
        ("conversation", None, False), ("ask", None, False), ("ask", None, True)]
    assert log["no_answer_share"] == round(1 / 3, 4) and log["top_unanswered"] == [
        {"question": "明天杭州天气怎么样?", "count": 1, "variants": []}]


def test_unanswered_questions_are_grouped_by_meaning(answerer):
    from collections import Counter

    asked = Counter({"明天杭州天气怎么样?": 3, "杭州明天的天气如何?": 2, "明天杭州会下雨吗?": 1,
                     "济南元宇宙产业园区有几个?": 2, "如何办理护照?": 1})
    groups = records.similar_groups(asked, answerer.retriever.embed_query)
    assert groups[0] == {"question": "明天杭州天气怎么样?", "count": 6,
                         "variants": ["杭州明天的天气如何?", "明天杭州会下雨吗?"]}, groups
    by_head = {g["question"]: g for g in groups}
    assert "济南元宇宙产业园区有几个?" in by_head and "如何办理护照?" in by_head  # unrelated questions stay apart
    assert sum(g["count"] for g in groups) == sum(asked.values())
    assert records.similar_groups(asked, None)[0] == {"question": "明天杭州天气怎么样?", "count": 3, "variants": []}


def test_keys_roles_and_owners(answerer, db):
    for name, role in (("admin", "admin"), ("ann", "staff"), ("bo", "staff")):
        accounts.add_user(db, name, role, "password-" + name)
    admin, ann, bo = (_bearer(accounts.create_key(db, n)) for n in ("admin", "ann", "bo"))
    client = _client(answerer, db)
    for method, path, body in (("post", "/api/ask", {"question": QUESTION}), ("get", "/api/plans", None),
                               ("get", "/api/conversations", None), ("post", "/api/conversations", {}),
                               ("get", "/api/stats", None)):
        r = client.request(method, path, json=body)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer" and "error" in r.json(), path
        assert client.request(method, path, json=body, headers=_bearer("pqa_forged")).status_code == 401, path
    assert client.get("/health").status_code == 200  # the health check stays open
    assert client.get("/api/me", headers=ann).json() == {"open": False, "name": "ann", "role": "staff"}
    for path in ("/api/stats", "/api/feedback", "/api/stats?format=csv"):
        assert client.get(path, headers=ann).status_code == 403, path
        assert client.get(path, headers=admin).status_code == 200, path

    conv = client.post("/api/conversations", json={"title": "补助"}, headers=ann).json()
    turn = client.post(f"/api/conversations/{conv['id']}/ask", json={"question": QUESTION}, headers=ann).json()
    assert client.get(f"/api/conversations/{conv['id']}", headers=ann).status_code == 200
    for method, path, body in (("get", f"/api/conversations/{conv['id']}", None),
                               ("post", f"/api/conversations/{conv['id']}/ask", {"question": QUESTION}),
                               ("get", f"/api/conversations/{conv['id']}/export", None),
                               ("post", "/api/feedback", {"turn_id": turn["turn_id"], "rating": "down"})):
        r = client.request(method, path, json=body, headers=bo)
        assert r.status_code == 404 and "error" in r.json(), path
        assert client.request(method, path, json=body, headers=admin).status_code == 404, path  # not theirs either
    assert client.get("/api/conversations", headers=bo).json() == []
    assert client.get("/api/conversations/nope", headers=ann).status_code == 404
    for bad in ({"turn_id": turn["turn_id"], "rating": "meh"}, {"turn_id": 0, "rating": "up"},
                {"turn_id": turn["turn_id"], "rating": "down", "reason": "bored"}):
        assert client.post("/api/feedback", json=bad, headers=ann).status_code == 422, bad
    r = client.post("/api/feedback", json={"turn_id": turn["turn_id"], "rating": "down", "chunk_id": "f" * 16},
                    headers=ann)
    assert r.status_code == 400 and "chunk_id" in r.json()["error"]


def test_a_follow_up_in_a_saved_conversation_reads_back_exported_and_its_thumbs_down_becomes_an_eval_case(
        answerer, db, db_url, tmp_path, monkeypatch, capsys):
    accounts.add_user(db, "ann", "staff", "password-ann")
    ann = _bearer(accounts.create_key(db, "ann"))
    client = _client(answerer, db)
    conv = client.post("/api/conversations", json={}, headers=ann).json()
    first = client.post(f"/api/conversations/{conv['id']}/ask", json={"question": QUESTION}, headers=ann).json()
    follow = client.post(f"/api/conversations/{conv['id']}/ask", json={"question": "这一条的责任单位是谁?"},
                         headers=ann).json()
    cited = first["citations"][0]
    assert follow["citations"][0]["chunk_id"] == cited["chunk_id"]  # the earlier turn was the context

    reopened = Database(db_url)  # what a restarted server reads
    saved = records.conversation(reopened, accounts.login(reopened, "ann", "password-ann"), conv["id"])
    assert [t["question"] for t in saved["turns"]] == [QUESTION, "这一条的责任单位是谁?"]
    assert saved["turns"][0]["result"]["citations"] == first["citations"]

    md = client.get(f"/api/conversations/{conv['id']}/export", headers=ann)
    assert md.headers["content-type"].startswith("text/markdown")
    for part in (QUESTION, cited["quote"], cited["item_path"], cited["chunk_id"], cited["plan_title"]):
        assert part in md.text, part
    docx = client.get(f"/api/conversations/{conv['id']}/export?format=docx", headers=ann)
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert cited["quote"] in text and cited["chunk_id"] in text and cited["item_path"] in text

    right = next(c for c in answerer.corpus.clauses_of(["jinan-2022"]) if c.chunk_id != cited["chunk_id"])
    r = client.post("/api/feedback", json={"turn_id": follow["turn_id"], "rating": "down", "reason": "wrong_clause",
                                           "chunk_id": right.chunk_id, "comment": "应引用另一条"}, headers=ann)
    assert r.status_code == 201 and r.json()["item_path"] == right.item_path
    client.post("/api/feedback", json={"turn_id": first["turn_id"], "rating": "up"}, headers=ann)
    client.post("/api/feedback", json={"turn_id": first["turn_id"], "rating": "down", "reason": "should_refuse"},
                headers=ann)
    monkeypatch.setenv("POLICYQA_DB", db_url)
    from rag.cli import main

    assert main(["feedback", "export", "--jsonl"]) == 0
    cases = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [c["gold"] for c in cases] == [[{"plan_id": "jinan-2022", "item_path": right.item_path}], []]
    assert cases[0]["question"] == "这一条的责任单位是谁?" and cases[1]["no_answer"] is True
    assert {c["group"] for c in cases} == {"feedback"} and {c["type"] for c in cases} == {"fact", "out_of_scope"}

    stats = records.stats(db)
    assert stats["questions"] == 2 and stats["per_day"] and len(stats["thumbs_down"]) == 2
    assert stats["log"][0]["user"] == "ann" and stats["latency_ms"]["p50"] > 0


def test_serving_beyond_this_machine_needs_an_admin(tmp_path, monkeypatch):
    from rag.cli import main
    from rag.serving import open_staff_db
    from rag.settings import Settings

    settings = Settings(home=tmp_path, corpus=tmp_path)
    with pytest.raises(BadInputError, match="needs accounts"):
        open_staff_db(settings, "0.0.0.0")
    open_staff_db(settings, "127.0.0.1")
    monkeypatch.setenv("POLICYQA_HOME", str(tmp_path))
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    accounts.add_user(Database.open(settings), "staff1", "staff", "password1")
    with pytest.raises(BadInputError):  # staff alone is not enough
        open_staff_db(settings, "::")
    accounts.add_user(Database.open(settings), "root", "admin", "password2")
    assert open_staff_db(settings, "0.0.0.0").has_admin()


def test_users_add_reads_the_password_from_standard_input_and_keys_create_prints_the_key_last(tmp_path):
    env = dict(os.environ, POLICYQA_HOME=str(tmp_path))
    add = subprocess.run([sys.executable, "-m", "rag", "users", "add", "ann", "--role", "admin"], input="s3cret-pass\n",
                         env=env, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    assert add.returncode == 0, add.stderr
    key = subprocess.run([sys.executable, "-m", "rag", "keys", "create", "--user", "ann"], env=env, capture_output=True,
                         text=True, cwd=PROJECT_ROOT, timeout=60)
    last = key.stdout.strip().splitlines()[-1]
    db = Database(f"sqlite:///{tmp_path / 'policyqa.db'}")
    assert accounts.account_for_key(db, last).name == "ann" and accounts.login(db, "ann", "s3cret-pass")
    missing = subprocess.run([sys.executable, "-m", "rag", "keys", "create", "--user", "nobody"], env=env,
                             capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    assert missing.returncode != 0 and "nobody" in missing.stderr


WRITER = """
import sys
from rag.staff import accounts, records
from rag.staff.db import Database
db = Database(sys.argv[1])
who = accounts.add_user(db, "ann", "staff", "password-ann")
conv = records.new_conversation(db, who)["id"]
print(conv, flush=True)
n = 0
while True:
    n += 1
    records.add_turn(db, who, conv, f"q{n}", {"answer": "a" * 2000, "citations": [], "no_answer": False}, 1.0)
    print(n, flush=True)  # committed before it is said
"""


def test_nothing_committed_is_lost_when_the_writer_is_killed(db_url):
    """kill -9 of a process in the middle of writing turns: every turn it reported saved is there, the database
    opens and is consistent."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db_url], stdout=subprocess.PIPE, text=True,
                            cwd=PROJECT_ROOT)
    conv = proc.stdout.readline().strip()
    reported = 0
    deadline = time.monotonic() + 60
    while reported < 40 and time.monotonic() < deadline:
        reported = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    db = Database(db_url)
    who = accounts.login(db, "ann", "password-ann")
    saved = records.conversation(db, who, conv)["turns"]
    assert len(saved) >= reported >= 40
    assert [t["question"] for t in saved] == [f"q{i}" for i in range(1, len(saved) + 1)]
    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_server_killed_mid_request_keeps_every_saved_conversation(built, tmp_path):
    """A real `policyqa serve`, killed with kill -9 just after another question was sent to it: the conversation
    saved before is whole after a restart."""
    import urllib.request

    from support import serving

    settings = private_copy(built, tmp_path, CALIBRATION)  # copies: nothing this server does reaches the session's

    def call(url: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url + path, data=data, headers={"content-type": "application/json"},
                                     method="GET" if body is None else "POST")
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    with serving(settings) as url:
        conv = call(url, "/api/conversations", {})
        for q in (QUESTION, "这一条的责任单位是谁?"):
            call(url, f"/api/conversations/{conv['id']}/ask", {"question": q})
        pid = int(subprocess.run(["pgrep", "-f", f"rag serve --port {url.rsplit(':', 1)[1]}"], capture_output=True,
                                 text=True).stdout.split()[0])
        import threading

        threading.Thread(target=lambda: _quietly(call, url, f"/api/conversations/{conv['id']}/ask",
                                                 {"question": "各省市的元宇宙产业规模目标分别是多少?"}),
                         daemon=True).start()
        time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
    with serving(settings) as url:
        saved = call(url, f"/api/conversations/{conv['id']}")
    assert [t["question"] for t in saved["turns"]][:2] == [QUESTION, "这一条的责任单位是谁?"]
    assert saved["turns"][0]["result"]["citations"][0]["item_path"] == "二、(一)3.(1)"


def _quietly(fn, *args) -> None:
    try:
        fn(*args)
    except (OSError, http.client.HTTPException):  # (a reply cut off mid-body is IncompleteRead, not an OSError)
        pass  # the server was killed under this request: that is the test



NEW_DOC = PROJECT_ROOT / "tests" / "data" / "corpus-more" / "china-satcom-2025.txt"
SATCOM = "卫星通信"


@pytest.fixture
def private(built, embedder, tmp_path):
    """A data directory, corpus and index of this test's own (copies; the model shared), served as a server
    serves it."""
    from rag.assemble import open_answerer
    from rag.served import Served

    settings = private_copy(built, tmp_path)
    return Served(open_answerer(settings, lambda _: None, embedder=embedder), settings)


def test_an_admin_adds_a_document_over_the_api_and_it_answers_at_once_then_removes_it(private):
    db = Database.open(private.settings)
    accounts.add_user(db, "root", "admin", "password-root")
    accounts.add_user(db, "ann", "staff", "password-ann")
    root, ann = _bearer(accounts.create_key(db, "root")), _bearer(accounts.create_key(db, "ann"))
    client = TestClient(create_app(private, db=db))
    upload = {"file": ("通知.txt", NEW_DOC.read_bytes(), "text/plain")}
    assert client.post("/api/documents/preview", files=upload, headers=ann).status_code == 403
    seen = client.post("/api/documents/preview", files=upload, headers=root).json()
    assert seen["region"] == "全国" and SATCOM in seen["title"] and seen["clauses"] == len(seen["outline"]) > 10
    assert {"二、(三)", "七、(十七)"} <= {o["item_path"] for o in seen["outline"]}
    assert client.get("/api/plans", headers=root).json() and seen["plan_id"] not in {
        p["plan_id"] for p in client.get("/api/plans", headers=root).json()}  # a preview stores nothing
    bad = client.post("/api/documents", files={"file": ("a.exe", b"MZ", "application/octet-stream")}, headers=root)
    assert bad.status_code == 400 and "a.exe" in bad.json()["error"]
    added = client.post("/api/documents", files=upload, data={"plan_id": "china-satcom-2025"}, headers=root)
    assert added.status_code == 201 and added.json()["served"] is True, added.json()
    answer = client.post("/api/ask", json={"question": "国家对卫星通信领域重点企业有哪些资金支持?"}, headers=ann).json()
    assert answer["citations"] and answer["citations"][0]["plan_id"] == "china-satcom-2025"  # no restart
    listed = client.get("/api/documents", headers=root).json()
    assert [(d["plan_id"], d["filename"], d["status"]) for d in listed] == [("china-satcom-2025", "通知.txt", "indexed")]

    assert client.delete("/api/documents/china-satcom-2025?confirm=jinan-2022", headers=root).status_code == 400
    assert client.delete("/api/documents/china-satcom-2025?confirm=china-satcom-2025", headers=ann).status_code == 403
    assert client.delete("/api/documents/nope-2020?confirm=nope-2020", headers=root).status_code == 404
    gone = client.delete("/api/documents/china-satcom-2025?confirm=china-satcom-2025", headers=root).json()
    assert "china-satcom-2025" not in {p["plan_id"] for p in client.get("/api/plans", headers=root).json()}
    kept = sorted(p.name for p in (private.settings.home / "removed").glob("*/*"))
    assert kept == ["china-satcom-2025.json", "china-satcom-2025.txt"] and gone["files"] == ["china-satcom-2025.txt",
                                                                                             "china-satcom-2025.json"]
    assert client.get("/api/documents", headers=root).json()[0]["status"] == "removed"

    key = client.post("/api/keys", json={"user": "ann"}, headers=root).json()["key"]
    assert client.get("/api/me", headers=_bearer(key)).json()["name"] == "ann"
    assert client.post("/api/keys", json={"user": "ann"}, headers=ann).status_code == 403
    assert client.post("/api/keys", json={"user": "nobody"}, headers=root).status_code == 404


def test_an_open_server_changes_no_document_over_http(private):
    client = TestClient(create_app(private, db=Database.open(private.settings)))
    r = client.post("/api/documents", files={"file": ("a.txt", NEW_DOC.read_bytes(), "text/plain")})
    assert r.status_code == 403 and "admin account" in r.json()["error"]
    assert client.delete("/api/documents/jinan-2022?confirm=jinan-2022").status_code == 403


def test_eval_with_feedback_scores_the_cases_as_their_own_group(answerer, cli, tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    db = Database(url)
    who = accounts.add_user(db, "ann", "staff", "password-ann")
    conv = records.new_conversation(db, who)["id"]
    first = answerer.answer(QUESTION)
    turn = records.add_turn(db, who, conv, QUESTION, first.to_dict(), 1.0)
    right = answerer.corpus.clause(first.citations[0].chunk_id)
    records.add_feedback(db, who, turn, "down", "missing_fact", right)
    weather = answerer.answer("明天杭州天气怎么样?")
    turn = records.add_turn(db, who, conv, weather.question, weather.to_dict(), 1.0)
    records.add_feedback(db, who, turn, "down", "should_refuse")
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "q-1", "type": "fact", "question": QUESTION, "gold": [
        {"plan_id": "jinan-2022", "item_path": "二、(一)3.(1)"}], "keys": ["100万元"], "no_answer": False,
        "min_plans": 1}, ensure_ascii=False) + "\n", encoding="utf-8")
    monkeypatch.setenv("POLICYQA_DB", url)
    assert cli(["eval", str(questions), "--feedback", "--json", "--out", str(tmp_path / "reports")]) == 0
    report = json.loads(capsys.readouterr().out)
    group = report["by_group"]["feedback"]
    assert group["questions"] == 2 and group["citation_at_1"] == 1.0 and group["no_answer_accuracy"] == 1.0, group
    assert report["questions"] == 3


def test_a_document_the_index_cannot_take_is_taken_out_again_and_a_busy_library_is_409(private, monkeypatch):
    import rag.assemble
    from rag.ingest.library import Library
    from rag.writer import one_writer

    db = Database.open(private.settings)
    accounts.add_user(db, "root", "admin", "password-root")
    root = _bearer(accounts.create_key(db, "root"))
    client = TestClient(create_app(private, db=db))
    upload = {"file": ("通知.txt", NEW_DOC.read_bytes(), "text/plain")}
    before = sorted(m["plan_id"] for m in Library(private.settings).manifests())
    real, calls = rag.assemble.index_and_calibrate, []

    def failing_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise MemoryError("no room")
        return real(*args, **kwargs)

    monkeypatch.setattr(rag.assemble, "index_and_calibrate", failing_once)
    r = client.post("/api/documents", files=upload, headers=root)
    assert r.status_code == 400 and "the library is as it was" in r.json()["error"] and "/tmp" not in r.json()["error"]
    assert sorted(m["plan_id"] for m in Library(private.settings).manifests()) == before
    assert [p.suffix for p in sorted((private.settings.home / "removed").glob("*/*"))] == [".json", ".txt"]  # kept
    assert client.get("/api/documents", headers=root).json() == []
    monkeypatch.setattr(rag.assemble, "index_and_calibrate", real)
    with one_writer(private.settings.home, "another writer", say=lambda _: None):
        import threading

        got: list = []
        worker = threading.Thread(target=lambda: got.append(client.post("/api/documents", files=upload, headers=root)))
        worker.start()
        worker.join(60)
    assert got[0].status_code == 409 and "another writer" in got[0].json()["error"]
    assert client.post("/api/documents", files=upload, headers=root).status_code == 201  # and then it is added

"""Admin pages: staff accounts, the audit log and data requests, driven like a browser would."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from feedback_app.models import AuditEvent, DepartedCustomer, StaffUser
from feedback_app.services.accounts import api_keys, audit
from tests.helpers import JUNK_PAGES, csrf_token, showing


def test_admin_invites_a_person_and_the_link_works_once(client, login, db):
    login("admin")
    page = client.get("/dashboard/admin/users")
    response = client.post(
        "/dashboard/admin/users",
        data={"email": "new.person@staff.example", "role": "product", "csrf_token": csrf_token(page)},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "new.person@staff.example" in html
    link = re.search(r'value="http://survey\.test(/auth/set-password/[^"]+)"', html).group(1)
    assert (
        db.session.scalar(select(StaffUser).where(StaffUser.email == "new.person@staff.example")).role
        == "product"
    )
    assert client.get(link).status_code == 200


def test_invite_errors_name_the_field(client, login, make):
    login("admin")
    existing, _ = make.staff_user("cx")
    page = client.get("/dashboard/admin/users")
    bad = client.post(
        "/dashboard/admin/users", data={"email": "not an email", "role": "cx", "csrf_token": csrf_token(page)}
    )
    assert bad.status_code == 400 and "Enter an email address." in bad.get_data(as_text=True)
    dup = client.post(
        "/dashboard/admin/users", data={"email": existing.email, "role": "cx", "csrf_token": csrf_token(page)}
    )
    assert dup.status_code == 400 and "already exists" in dup.get_data(as_text=True)


def test_admin_changes_a_role_and_deactivates(client, login, make, db):
    login("admin")
    user, _ = make.staff_user("product")
    token = csrf_token(client.get("/dashboard/admin/users"))
    client.post(f"/dashboard/admin/users/{user.id}/role", data={"role": "cx", "csrf_token": token})
    client.post(f"/dashboard/admin/users/{user.id}/deactivate", data={"csrf_token": token})
    db.session.expire_all()
    user = db.session.get(StaffUser, user.id)
    assert user.role == "cx" and not user.active
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == str(user.id))))
    assert {"user.set_role", "user.deactivate"} <= actions


def test_users_page_names_roles_in_words_not_their_keys(client, login, make):
    login("admin")
    user, _ = make.staff_user("product", email="pia@staff.example")
    page = client.get("/dashboard/admin/users")
    html = page.get_data(as_text=True)
    row = re.search(r"<tr>\s*<th scope=\"row\">pia@staff\.example</th>(.*?)</tr>", html, re.S).group(1)
    assert '<td data-label="Role">Product</td>' in row and '<td data-label="State">Active</td>' in row
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', row)
    assert options == [("admin", "Admin"), ("cx", "CX"), ("product", "Product")]
    assert "Admin: everything; CX: everything but accounts and keys; Product:" in html
    changed = client.post(
        f"/dashboard/admin/users/{user.id}/role",
        data={"role": "cx", "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert "pia@staff.example is now CX." in changed.get_data(as_text=True)
    audit_log = client.get("/dashboard/admin/audit").get_data(as_text=True)
    assert "Old role: Product; New role: CX" in audit_log and "Role: Product" in audit_log
    created = client.post(
        "/dashboard/admin/users",
        data={"email": "new@staff.example", "role": "product", "csrf_token": csrf_token(page)},
    )
    assert "Created new@staff.example (Product)." in created.get_data(as_text=True)


def test_admin_makes_a_reset_link_that_works_and_is_in_the_audit_log(client, login, make, db):
    admin = login("admin")
    user, _ = make.staff_user("product")
    token = csrf_token(client.get("/dashboard/admin/users"))
    html = client.post(f"/dashboard/admin/users/{user.id}/reset-link", data={"csrf_token": token}).get_data(
        as_text=True
    )
    link = re.search(r'value="http://survey\.test(/auth/set-password/[^"]+)"', html).group(1)
    made = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.reset_link")).all()
    assert [(e.actor, e.target_id) for e in made] == [(admin.email, str(user.id))]
    client.post("/auth/logout", data={"csrf_token": token})
    assert client.get(link).status_code == 200


def test_admin_cannot_remove_the_last_admin(client, login, db):
    admin = login("admin")
    token = csrf_token(client.get("/dashboard/admin/users"))
    response = client.post(
        f"/dashboard/admin/users/{admin.id}/role",
        data={"role": "cx", "csrf_token": token},
        follow_redirects=True,
    )
    assert "last active admin" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(StaffUser, admin.id).role == "admin"


def test_admin_actions_without_csrf_are_refused(client, login, make):
    login("admin")
    user, _ = make.staff_user("product")
    assert client.post(f"/dashboard/admin/users/{user.id}/deactivate", data={}).status_code == 400


def test_audit_page_lists_events_and_filters(client, login, make, db):
    login("admin")
    make.staff_user("cx")  # recorded as user.create
    # The email check refuses such an address now; a row stored before it must still be shown escaped.
    db.session.add(StaffUser(email="<b>bold</b>@staff.example", role="product"))
    db.session.commit()
    html = client.get("/dashboard/admin/audit").get_data(as_text=True)
    assert "Created a staff account" in html and "Signed in" in html
    assert "user.create</td>" not in html and "staff_user" not in html, "no internal keys on the page"
    filtered = client.get("/dashboard/admin/audit?action=auth.login").get_data(as_text=True)
    assert "Signed in</td>" in filtered and "Role: cx" not in filtered
    users_html = client.get("/dashboard/admin/users").get_data(as_text=True)
    assert "<b>bold</b>" not in users_html and "&lt;b&gt;bold&lt;/b&gt;" in users_html


def test_data_request_export_downloads_json_and_is_audited(client, login, make, db):
    login("admin")
    customer = make.customer(email="pat.q@example.org", name="Pat Quill")
    page = client.get("/dashboard/admin/privacy")
    response = client.post(
        "/dashboard/admin/privacy",
        data={"email": "pat.q@example.org", "export": "1", "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert json.loads(response.get_data(as_text=True))["records"][0]["customer"]["name"] == "Pat Quill"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customer.export"))
    assert event.target_id == str(customer.id)


def test_data_request_erase_needs_confirmation(client, login, make, db):
    login("admin")
    customer = make.customer(email="pat.r@example.org")
    page = client.get("/dashboard/admin/privacy")
    unconfirmed = client.post(
        "/dashboard/admin/privacy",
        data={"email": "pat.r@example.org", "erase": "1", "csrf_token": csrf_token(page)},
    )
    assert unconfirmed.status_code == 400 and "cannot be undone" in unconfirmed.get_data(as_text=True)
    done = client.post(
        "/dashboard/admin/privacy",
        data={"email": "pat.r@example.org", "erase": "1", "confirm": "y", "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert "Erased 1 customer record" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DepartedCustomer, customer.id).email is None


def test_data_request_for_unknown_email_says_so(client, login):
    login("admin")
    page = client.get("/dashboard/admin/privacy")
    response = client.post(
        "/dashboard/admin/privacy",
        data={"email": "ghost@example.org", "export": "1", "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 404 and "No customer with email ghost@example.org" in response.get_data(
        as_text=True
    )


def test_cx_and_product_cannot_open_admin_pages(client, login):
    login("cx")
    for path in (
        "/dashboard/admin/users",
        "/dashboard/admin/audit",
        "/dashboard/admin/privacy",
        "/dashboard/admin/root-causes",
    ):
        assert client.get(path).status_code == 403


def test_opening_a_written_email_and_downloading_a_report_are_audited(app, client, login, make, db):
    from feedback_app.services.outreach import outbox

    user = login("cx")
    customer = make.customer()
    outbox.queue_email(
        kind="invitation",
        idempotency_key="audit-view",
        recipient=customer.email,
        subject="Hi",
        body_text="Hi",
        body_html="<p>Hi</p>",
        customer_id=customer.id,
    )
    db.session.commit()
    outbox.deliver()
    from pathlib import Path

    name = next(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")).name
    assert client.get(f"/dashboard/outbox/files/{name}").status_code == 200
    assert client.get("/dashboard/summary/export.csv?q=secret@example.org").status_code == 200
    assert client.get("/dashboard/outbox/files/missing.eml").status_code == 404
    db.session.expire_all()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.actor_user_id == user.id, AuditEvent.action != "auth.login")
    ).all()
    assert [(e.action, e.target_id) for e in events] == [("email.view", name), ("report.download", "csv")]
    assert all("secret@example.org" not in json.dumps(e.details) for e in events)


def test_admin_creates_a_key_that_works_once_shown_and_revokes_it(client, login, db):
    login("admin")
    page = client.get("/dashboard/admin/api-keys")
    # no scope is ticked until the admin ticks one (least privilege)
    boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', page.get_data(as_text=True))
    assert boxes and not [box for box in boxes if "checked" in box]
    empty = client.post("/dashboard/admin/api-keys", data={"label": "", "csrf_token": csrf_token(page)})
    assert empty.status_code == 400 and "Enter a label." in empty.get_data(as_text=True)
    created = client.post(
        "/dashboard/admin/api-keys",
        data={"label": "billing system", "can_write": "y", "csrf_token": csrf_token(page)},
    )
    raw = re.search(
        r'aria-label="New API key"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*aria-label="New API key"',
        created.get_data(as_text=True),
    )
    raw = raw.group(1) or raw.group(2)
    body = {"external_id": "k-1", "email": "k1@example.org", "left_at": "2026-10-01"}
    assert (
        client.post("/api/v1/departures", json=body, headers={"Authorization": f"Bearer {raw}"}).status_code
        < 300
    )
    listing = client.get("/dashboard/admin/api-keys").get_data(as_text=True)
    assert raw not in listing and "billing system" in listing
    from feedback_app.models import ApiKey

    key = db.session.scalar(select(ApiKey))
    client.post(f"/dashboard/admin/api-keys/{key.id}/revoke", data={"csrf_token": csrf_token(page)})
    assert (
        client.post("/api/v1/departures", json=body, headers={"Authorization": f"Bearer {raw}"}).status_code
        == 401
    )


def test_audit_details_read_as_words_not_python_values(client, login, db):
    login("admin")
    audit.record(
        "invitations.create",
        actor="cx@staff.example",
        target_type="survey",
        target_id=1,
        created=2,
        skipped={"came back": 66, "opted out": 0},
        filters={"left_since": None, "left_before": "2026-10-01", "include_involuntary": False},
        dry_run=False,
        segments=["smb", "mid_market"],
    )
    audit.record("invitations.create", actor="cx@staff.example", filters={"plan": None, "segment": ""})
    db.session.commit()
    html = client.get("/dashboard/admin/audit").get_data(as_text=True)
    assert "Created: 2; Skipped: came back: 66, opted out: 0; Filters: left before: 2026-10-01" in html
    assert "Dry run: no; Segments: smb, mid_market" in html
    assert "Filters: none" in html  # a selection with nothing set
    assert "None" not in html and "False" not in html and "{'" not in html and "left_since" not in html


def test_audit_page_names_the_code_that_acted_and_its_values_in_words(client, login, db):
    login("admin")
    audit.record("tickets.import", actor="demo", target_type="conversation", format="demo", tickets=4)
    audit.record("customers.import", actor="cli", target_type="customer")
    db.session.commit()
    html = client.get("/dashboard/admin/audit").get_data(as_text=True)
    assert "Demo data loader" in html and "Command line" in html
    assert "Format: Demo data; Tickets: 4" in html
    assert not re.search(r">\s*(demo|cli)\s*<", html)


def test_root_causes_and_playbook_page_shows_each_cause_its_owner_and_where_to_edit(
    client, login, app, tmp_path
):
    """Acceptance walk: admins looked for the taxonomy and the playbook (/dashboard/settings: 404)."""
    playbook = tmp_path / "playbook.yaml"
    playbook.write_text(
        "price:\n  owner_team: marketing\n  due_days: 45\n  actions: [Offer a retention discount, Review prices]\n"
        "default:\n  owner_team: product\n  due_days: 30\n  actions: [Look into it]\n",
        encoding="utf-8",
    )
    app.config["PLAYBOOK_PATH"] = str(playbook)
    login("admin")
    users = client.get("/dashboard/admin/users").get_data(as_text=True)
    assert 'href="/dashboard/admin/root-causes">Root causes and playbook</a>' in users, "in the admin menu"
    page = client.get("/dashboard/admin/root-causes")
    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).split())
    assert "<h1>Root causes and playbook</h1>" in page.get_data(as_text=True)
    assert "nlp/taxonomy.yaml" in text and str(playbook) in text and "PLAYBOOK_PATH" in text
    assert "apply on the next analysis run" in text
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page.get_data(as_text=True), re.S)
    assert len(rows) == 13, "twelve root causes and emerging"
    price = " ".join(re.sub(r"<[^>]+>", " ", rows[0]).split())
    assert price.startswith("Price price ") and "Marketing 45 Offer a retention discount +1 more" in price
    support = " ".join(re.sub(r"<[^>]+>", " ", next(r for r in rows if "Unresolved complaint" in r)).split())
    assert "Product (default) 30 Look into it" in support
    assert (
        re.search(r"Price price .+? (\d+) Marketing", price)
        and int(re.search(r"Price price .+? (\d+) Marketing", price).group(1)) > 0
    ), "how many example phrases"
    assert "<form" not in page.get_data(as_text=True).split("<h1>")[1], "read-only: no editor"


def test_root_causes_page_reads_each_yaml_file_once_and_shows_the_emerging_description(
    client, login, monkeypatch
):
    """Profiling found the page parsing nlp/taxonomy.yaml twice per request (the second time only
    for ``emerging.description``); now the playbook and the taxonomy are each parsed once."""
    import yaml

    from nlp.taxonomy import DEFAULT_TAXONOMY

    described = yaml.safe_load(DEFAULT_TAXONOMY.read_text(encoding="utf-8"))["emerging"]["description"]
    assert described, "the packaged taxonomy describes emerging"
    login("admin")
    assert client.get("/dashboard/admin/root-causes").status_code == 200  # warms per-process caches
    parsed: list[str] = []
    real_safe_load = yaml.safe_load

    def counting_safe_load(stream):  # the real parser, counted
        parsed.append(str(stream)[:40])
        return real_safe_load(stream)

    monkeypatch.setattr(yaml, "safe_load", counting_safe_load)
    page = client.get("/dashboard/admin/root-causes").get_data(as_text=True)
    assert len(parsed) == 2, f"one parse of the playbook and one of the taxonomy, got {parsed}"
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)
    emerging = " ".join(re.sub(r"<[^>]+>", " ", rows[-1]).split())
    assert emerging.startswith("Emerging") and described in emerging


def test_every_recorded_action_and_target_reads_as_words_on_the_audit_page(client, login, db):
    """The audit log showed 18 of the actions the app records as their internal keys made into words
    ("Cpr case opened" on "Cpr case #1", "Winback campaign created"): every action and target type
    that the code records now has its name."""
    from pathlib import Path

    package = Path(audit.__file__).resolve().parents[2]  # feedback_app/
    source = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    actions = {
        key
        for head in re.findall(r"audit\.record\(\s*([^,]*)", source)
        for key in re.findall(r'"([a-z_]+\.[a-z_]+)"', head)
    }
    targets = set(re.findall(r'target_type="([a-z_]+)"', source))
    assert len(actions) > 40 and len(targets) > 10, "the scan finds the recorded actions"
    assert sorted(actions - audit.ACTION_NAMES.keys()) == []
    assert sorted(targets - audit.TARGET_NAMES.keys()) == []
    login("admin")
    audit.record("cpr.case_opened", actor="cx@staff.example", target_type="cpr_case", target_id=7)
    audit.record(
        "winback.campaign_created", actor="cx@staff.example", target_type="winback_campaign", target_id=3
    )
    db.session.commit()
    html = client.get("/dashboard/admin/audit").get_data(as_text=True)
    assert "Opened a CPR case</td>" in html and "CPR case #7</td>" in html
    assert "Created a win-back campaign</td>" in html and "Win-back campaign #3</td>" in html


def test_api_key_permissions_read_as_words_with_their_codes_beside_them(client, login, db):
    """What a key may do was shown as its scope codes in the audit log ("Scopes: departures:write,
    read"); the keys page had the words without the codes an integrator asks for. Both now read as
    words; the keys page adds each code, small, beside its words."""
    login("admin")
    page = client.get("/dashboard/admin/api-keys")
    client.post(
        "/dashboard/admin/api-keys",
        data={"label": "warehouse", "can_write": "y", "can_read": "y", "csrf_token": csrf_token(page)},
    )
    listing = client.get("/dashboard/admin/api-keys").get_data(as_text=True)
    row = re.search(r"<tr>\s*<th scope=\"row\">.*?warehouse.*?</tr>", listing, re.S).group(0)
    assert "Send departed customers" in row and "Read customers, answers" in row
    assert re.findall(r'<code class="scope-code">([^<]+)</code>', row) == ["departures:write", "read"]
    audit_log = client.get("/dashboard/admin/audit").get_data(as_text=True)
    created = re.search(r"<tbody>.*?Created an API key.*?</tr>", audit_log, re.S).group(0)
    assert "Send departed customers" in created and "departures:write" not in created


def test_a_webhooks_events_read_as_words_in_the_audit_log(client, login, db):
    login("admin")
    page = client.get("/dashboard/admin/webhooks")
    client.post(
        "/dashboard/admin/webhooks",
        data={
            "url": "https://hooks.example.com/in",
            "events": ["response.submitted"],
            "csrf_token": csrf_token(page),
        },
    )
    audit_log = client.get("/dashboard/admin/audit").get_data(as_text=True)
    added = re.search(r"<tbody>.*?Added a webhook.*?</tr>", audit_log, re.S).group(0)
    assert "A former customer answered" in added and "response.submitted" not in added


@pytest.mark.parametrize(
    "role,words",
    [
        ("admin", "Admin: Everything, including staff accounts"),
        ("cx", "CX: Everything but the Admin section"),
        ("product", "Product: Read the reports and themes"),
    ],
)
def test_the_profile_names_the_signed_in_persons_role_in_words(client, login, role, words):
    """The profile said who was signed in but not with which role."""
    login(role)
    html = client.get("/dashboard/profile").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "Your role" in text and words in text
    assert not re.search(rf">\s*{role}\s*<", html)  # never the stored key


def test_the_empty_api_key_and_webhook_pages_say_what_to_do(client, login):
    """The empty pages said only "No keys yet." and "Nothing sent yet.", not what comes next."""
    login("admin")
    keys = client.get("/dashboard/admin/api-keys").get_data(as_text=True)
    assert "No keys yet. Make one below for each system" in keys
    hooks = client.get("/dashboard/admin/webhooks").get_data(as_text=True)
    assert "Nothing sent yet. Each delivery to an address above is listed here" in hooks


def test_a_new_person_is_offered_the_least_role_first(client, login):
    """The "Add a person" form came with Admin chosen: one hurried click made an admin."""
    login("admin")
    html = client.get("/dashboard/admin/users").get_data(as_text=True)
    form = html[html.index('id="role"') :]
    chosen = re.search(r'<option[^>]*selected[^>]*value="(\w+)"|<option[^>]*value="(\w+)"[^>]*selected', form)
    assert chosen and "product" in chosen.groups()


def test_a_deactivated_person_can_be_reactivated_from_the_users_page(client, login, make, db):
    """Deactivating was a one-way door in the dashboard (and the command line): a person switched
    off by mistake could only be re-invited under another address."""
    login("admin")
    user, _ = make.staff_user("cx")
    token = csrf_token(client.get("/dashboard/admin/users"))
    client.post(f"/dashboard/admin/users/{user.id}/deactivate", data={"csrf_token": token})
    page = client.get("/dashboard/admin/users").get_data(as_text=True)
    row = page[page.index(f'<th scope="row">{user.email}') :].split("</tr>")[0]
    assert "Deactivated" in row and ">Reactivate</button>" in row and "Deactivate</button>" not in row
    done = client.post(
        f"/dashboard/admin/users/{user.id}/reactivate", data={"csrf_token": token}, follow_redirects=True
    )
    assert f"{user.email} can sign in again." in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(StaffUser, user.id).active
    assert "user.reactivate" in set(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == str(user.id)))
    )
    assert client.post(f"/dashboard/admin/users/{user.id}/reactivate", data={}).status_code == 400


def test_staff_accounts_page_by_25_in_email_order_and_any_page_value_shows_a_page(client, login, db):
    admin = login("admin")
    db.session.add_all(StaffUser(email=f"person{n:02}@staff.example", role="cx") for n in range(30))
    db.session.commit()
    emails = list(db.session.scalars(select(StaffUser.email).order_by(StaffUser.email, StaffUser.id)))
    first = client.get("/dashboard/admin/users").get_data(as_text=True)
    assert emails[24] in first and emails[25] not in first
    assert showing(1, 25, 31) in first and 'href="/dashboard/admin/users?page=2"' in first
    second = client.get("/dashboard/admin/users?page=2").get_data(as_text=True)
    assert emails[25] in second and emails[24] not in second and showing(26, 31, 31) in second
    assert admin.email in first + second
    for junk in JUNK_PAGES:
        response = client.get(f"/dashboard/admin/users?page={junk}")
        assert response.status_code == 200, junk
        assert showing(1, 25, 31) in response.text or showing(26, 31, 31) in response.text


def test_api_keys_page_by_25_newest_first(client, login, db):
    login("admin")
    keys = [api_keys.create_key(f"system {n:02}", actor="test")[0] for n in range(27)]
    first = client.get("/dashboard/admin/api-keys").get_data(as_text=True)
    assert "system 26" in first and "system 02" in first and "system 01" not in first
    assert showing(1, 25, 27) in first
    second = client.get("/dashboard/admin/api-keys?page=2").get_data(as_text=True)
    assert "system 01" in second and "system 00" in second and "system 26" not in second
    assert showing(26, 27, 27) in second and keys[0].prefix in second
    for junk in JUNK_PAGES:
        assert client.get(f"/dashboard/admin/api-keys?page={junk}").status_code == 200, junk

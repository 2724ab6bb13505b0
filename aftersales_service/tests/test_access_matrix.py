from datetime import timedelta

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import AftersalesCommon
from .field_service_common import SIGNATURE
from .warranty_claim_common import PNG, WarrantyClaimCommon

ROLES = ("technician", "agent", "manager", "manager_c2", "employee")
SCOPES = ("team", "other_team", "company_2")
OPERATIONS = ("read", "write", "create", "unlink")

# What each role may do on each model: for each role (technician, agent,
# manager, manager_c2, employee) three cells, on a record of the technician's
# team, of another team of the same company, and of the other company; in each
# cell one letter per operation (read, write, create, unlink), "-" when
# refused. Records of no team (configuration, equipment, recoveries...) are
# the same record in the first two cells.
#
# technician: member of the team; agent and manager: After-Sales User and
# Manager of the first company; manager_c2: After-Sales Manager of the other
# company only; employee: an internal user without After-Sales rights.
CONFIG = (
    "r--- r--- ----  r--- r--- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
)
MATRIX = {
    #    technician      agent           manager         manager_c2      employee
    "aftersales.ticket": (
        "rwc- ---- ----  rwc- rwc- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.visit": (
        "rwc- ---- ----  rwc- rwc- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.visit.part": (
        "rwcu ---- ----  rwcu rwcu ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.return.line": (
        "rw-- ---- ----  rwcu rwcu ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.warranty.claim": (
        "rwc- ---- ----  rwc- rwc- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.warranty.claim.part": (
        "rwcu ---- ----  rwcu rwcu ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.part.request": (
        "rwc- ---- ----  rwc- rwc- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.part.request.line": (
        "rwcu ---- ----  rwcu rwcu ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.sla.pause": (
        "rwc- ---- ----  rwc- rwc- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.capa": (
        "r--- ---- ----  rwc- rwc- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.complaint.step": (
        "r--- ---- ----  rwc- rwc- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.survey": (
        "r--- ---- ----  rw-- rw-- ----  rw-u rw-u ----  ---- ---- rw-u  ---- ---- ----"
    ),
    "aftersales.followup": (
        "r--- ---- ----  rw-- rw-- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.reward.penalty": (
        "r--- ---- ----  rwc- rwc- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "repair.order": (
        "r--- ---- ----  r--- r--- ----  r--- r--- ----  ---- ---- r---  ---- ---- ----"
    ),
    "aftersales.sla.report": (
        "r--- ---- ----  r--- r--- ----  r--- r--- ----  ---- ---- r---  ---- ---- ----"
    ),
    # Scorecards: the technician's own; agents are rated, not raters.
    "aftersales.technician.evaluation": (
        "r--- ---- ----  ---- ---- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.technician.evaluation.hours": (
        "r--- ---- ----  ---- ---- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    # The installed base is shared by the company's service staff: a unit comes
    # in on any team's ticket. Its warranty extensions follow it.
    "aftersales.equipment": (
        "rw-- rw-- ----  rwc- rwc- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.warranty.extension": (
        "r--- r--- ----  r--- r--- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.supplier.recovery": (
        "---- ---- ----  r--- r--- ----  rwc- rwc- ----  ---- ---- rwc-  ---- ---- ----"
    ),
    "aftersales.statistics.report": (
        "---- ---- ----  ---- ---- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.tag": (
        "r--- r--- ----  rwc- rwc- ----  rwcu rwcu ----  ---- ---- rwcu  ---- ---- ----"
    ),
    "aftersales.team": CONFIG,
    "aftersales.stage": CONFIG,
    "aftersales.ticket.type": CONFIG,
    "aftersales.fault.level": CONFIG,
    "aftersales.warranty.policy": CONFIG,
    "aftersales.sla.policy": CONFIG,
    "aftersales.sla.zone": CONFIG,
    "aftersales.sla.escalation": CONFIG,
    "aftersales.return.reason": CONFIG,
    "aftersales.survey.level": CONFIG,
    "aftersales.complaint.department": CONFIG,
    "aftersales.complaint.category": CONFIG,
    "aftersales.reward.penalty.reason": CONFIG,
}


class AccessMatrixCommon(WarrantyClaimCommon):
    """The same set of records on a ticket of the technician's team, on a ticket
    of another team and on a ticket of the other company, and the five roles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env, login="as_employee", groups="base.group_user", name="Employee"
        )
        cls.manager_c2 = new_test_user(
            cls.env,
            login="as_manager_c2",
            groups="aftersales_service.group_aftersales_manager",
            name="Manager of the Second Company",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        cls.teammate = cls._make_user("as_teammate", "group_aftersales_technician")
        cls.team.member_ids |= cls.teammate
        cls.department = cls.env["aftersales.complaint.department"].create(
            {"name": "Quality Department"}
        )
        cls.return_reason = cls.env["aftersales.return.reason"].create(
            {"name": "Defective on arrival"}
        )
        cls.penalty_reason = cls.env["aftersales.reward.penalty.reason"].create(
            {"name": "Late arrival", "entry_type": "penalty", "amount": 50.0}
        )
        cls.records = {model: {} for model in MATRIX}
        scopes = {
            "team": cls._build_scope(cls.team, cls.technician, "2026-01-01"),
            "other_team": cls._build_scope(
                cls.other_team, cls.other_technician, "2026-02-01"
            ),
            "company_2": cls._build_scope(
                cls.other_team, cls.other_technician, "2026-03-01"
            ),
        }
        for scope, records in scopes.items():
            for model, record in records.items():
                cls.records[model][scope] = record
        cls._configuration()
        foreign = scopes["company_2"]
        cls._move_to_company_2(foreign.values(), ticket=foreign["aftersales.ticket"])
        # Pure roles: no Inventory or Sales rights on top of After-Sales.
        cls.technician.groups_id = [
            Command.unlink(cls.env.ref("stock.group_stock_user").id)
        ]
        cls.agent.groups_id = [
            Command.unlink(cls.env.ref("sales_team.group_sale_salesman").id)
        ]
        cls.users = {
            "technician": cls.technician,
            "agent": cls.agent,
            "manager": cls.manager,
            "manager_c2": cls.manager_c2,
            "employee": cls.employee,
        }

    @classmethod
    def _build_scope(cls, team, user, period_start):
        """A warranty ticket of ``team`` worked on by ``user``, with one record of
        each model hanging off it."""
        env = cls.env
        ticket = env["aftersales.ticket"].create(
            {
                "subject": f"Fuser noise ({team.name})",
                "team_id": team.id,
                "user_id": user.id,
                "lot_id": cls.serial_1.id,
            }
        )
        visit = env["aftersales.visit"].create(
            {"ticket_id": ticket.id, "user_id": user.id}
        )
        visit.action_arrive()
        visit.write(
            {
                "date_departure": visit.date_arrival + timedelta(hours=1),
                "fault_cause": "Fuser thermistor burnt",
                "part_ids": [
                    Command.create(
                        {
                            "product_id": cls.fuser.id,
                            "quantity": 1,
                            "old_part_returned": True,
                            "old_part_serial": "OLD-1",
                        }
                    )
                ],
                "signature": SIGNATURE,
                "signed_by": "Li Lei",
            }
        )
        visit.action_complete()
        # Completing the visit proposed the claim of the part replaced.
        claim = ticket.claim_ids
        claim.user_id = user
        request = env["aftersales.part.request"].create(
            {
                "ticket_id": ticket.id,
                "user_id": user.id,
                "line_ids": [Command.create({"product_id": cls.fuser.id})],
            }
        )
        return_line = env["aftersales.return.line"].create(
            {
                "ticket_id": ticket.id,
                "sale_line_id": cls.order.order_line.filtered(
                    lambda line: line.product_id == cls.plain_product
                ).id,
                "quantity": 1,
                "reason_id": cls.return_reason.id,
            }
        )
        pause = env["aftersales.sla.pause"].create(
            {
                "ticket_id": ticket.id,
                "reason": "Waiting for the customer",
                "date_start": fields.Datetime.now(),
            }
        )
        capa = env["aftersales.capa"].create(
            {"problem": "Fusers burn out", "ticket_id": ticket.id}
        )
        step = env["aftersales.complaint.step"].create(
            {
                "ticket_id": ticket.id,
                "department_id": cls.department.id,
                "budget_days": 2,
            }
        )
        survey = env["aftersales.survey"].create({"ticket_id": ticket.id})
        followup = env["aftersales.followup"].create(
            {
                "ticket_id": ticket.id,
                "partner_id": ticket.partner_id.id,
                "date_planned": fields.Date.today(),
            }
        )
        entry = env["aftersales.reward.penalty"].create(
            {
                "reason_id": cls.penalty_reason.id,
                "ticket_id": ticket.id,
                "team_id": team.id,
                "user_id": user.id,
            }
        )
        repair = env["repair.order"].create(
            {
                "product_id": cls.plain_product.id,
                "partner_id": ticket.partner_id.id,
                "aftersales_ticket_id": ticket.id,
            }
        )
        evaluation = env["aftersales.technician.evaluation"].create(
            {
                "user_id": user.id,
                "date_from": period_start,
                "date_to": fields.Date.to_date(period_start) + timedelta(days=27),
            }
        )
        hours = env["aftersales.technician.evaluation.hours"].create(
            {"evaluation_id": evaluation.id, "service_category": "warranty"}
        )
        env.flush_all()
        report = env["aftersales.sla.report"].search(
            [("ticket_id", "=", ticket.id)], limit=1
        )
        return {
            "aftersales.ticket": ticket,
            "aftersales.visit": visit,
            "aftersales.visit.part": visit.part_ids,
            "aftersales.return.line": return_line,
            "aftersales.warranty.claim": claim,
            "aftersales.warranty.claim.part": claim.part_ids,
            "aftersales.part.request": request,
            "aftersales.part.request.line": request.line_ids,
            "aftersales.sla.pause": pause,
            "aftersales.capa": capa,
            "aftersales.complaint.step": step,
            "aftersales.survey": survey,
            "aftersales.followup": followup,
            "aftersales.reward.penalty": entry,
            "repair.order": repair,
            "aftersales.sla.report": report,
            "aftersales.technician.evaluation": evaluation,
            "aftersales.technician.evaluation.hours": hours,
        }

    @classmethod
    def _configuration(cls):
        """Records of no team: one of the first company (both first columns) and
        one of the other company."""
        env = cls.env
        equipment = env["aftersales.equipment"].search(
            [("lot_id", "=", cls.serial_1.id)], limit=1
        )
        other_equipment = env["aftersales.equipment"].search(
            [("lot_id", "=", cls.serial_2.id)], limit=1
        )
        per_company = {
            "aftersales.equipment": (equipment, other_equipment),
            "aftersales.warranty.extension": tuple(
                env["aftersales.warranty.extension"].create(
                    {
                        "equipment_id": unit.id,
                        "sale_line_id": unit.sale_line_id.id,
                        "months": 12,
                    }
                )
                for unit in (equipment, other_equipment)
            ),
            "aftersales.team": (cls.team, cls.team_company_2),
        }
        values = {
            "aftersales.supplier.recovery": {"partner_id": cls.supplier.id},
            "aftersales.statistics.report": {
                "date_from": "2020-01-01",
                "date_to": "2020-01-31",
            },
            "aftersales.stage": {"name": "Waiting Approval", "kind": "in_progress"},
            "aftersales.ticket.type": {"name": "Inspection"},
            "aftersales.fault.level": {"name": "Cosmetic"},
            "aftersales.tag": {"name": "VIP"},
            "aftersales.warranty.policy": {"name": "Scanners 6 Months"},
            "aftersales.sla.policy": {"name": "Four Hours"},
            "aftersales.sla.zone": {"name": "Downtown"},
            "aftersales.sla.escalation": {"name": "Breached: Director"},
            "aftersales.return.reason": {"name": "Wrong colour"},
            "aftersales.survey.level": {"name": "Good", "score": 80},
            "aftersales.complaint.department": {"name": "Logistics"},
            "aftersales.complaint.category": {"name": "Delivery"},
            "aftersales.reward.penalty.reason": {
                "name": "Praise",
                "entry_type": "reward",
                "amount": 20,
            },
        }
        for model, vals in values.items():
            per_company[model] = tuple(
                env[model].create(dict(vals, company_id=company.id))
                for company in (cls.company, cls.company_2)
            )
        for model, (first, second) in per_company.items():
            cls.records[model].update(team=first, other_team=first, company_2=second)
        # The other customer's unit, as if it had been sold by the other company.
        cls._move_to_company_2(
            [other_equipment, per_company["aftersales.warranty.extension"][1]]
        )

    @classmethod
    def _move_to_company_2(cls, records, ticket=None):
        """Hand records over to the other company, as if they had been made
        there (only the company and the team matter to the walls)."""
        env = cls.env
        env.flush_all()
        for record in records:
            field = record._fields.get("company_id")
            if not record._auto or not (field and field.store):
                continue
            env.cr.execute(
                SQL(
                    "UPDATE %s SET company_id = %s WHERE id IN %s",
                    SQL.identifier(record._table),
                    cls.company_2.id,
                    tuple(record.ids),
                )
            )
        if ticket:
            env.cr.execute(
                SQL(
                    "UPDATE aftersales_ticket SET team_id = %s WHERE id = %s",
                    cls.team_company_2.id,
                    ticket.id,
                )
            )
        env.invalidate_all()

    def _allowed(self, record, user, operation):
        try:
            record.with_user(user).check_access(operation)
        except AccessError:
            return False
        return True


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccessMatrixCommon):
    def test_matrix(self):
        """Every role × model × scope × operation, as the table says."""
        module_models = {
            model
            for model in self.env.registry
            if getattr(self.env[model], "_original_module", "") == "aftersales_service"
            and not self.env[model]._transient
            and not self.env[model]._abstract
        }
        self.assertFalse(module_models - set(MATRIX), "every model is in the table")
        wrong = []
        for model, row in MATRIX.items():
            cells = row.split()
            for index, role in enumerate(ROLES):
                user = self.users[role]
                role_cells = cells[3 * index : 3 * index + 3]
                for scope, expected in zip(SCOPES, role_cells, strict=True):
                    record = self.records[model][scope]
                    self.assertEqual(len(record), 1, f"{model} {scope}")
                    got = "".join(
                        letter if self._allowed(record, user, operation) else "-"
                        for letter, operation in zip("rwcu", OPERATIONS, strict=True)
                    )
                    if got != expected:
                        wrong.append(
                            f"{model} / {role} / {scope}: {got}, not {expected}"
                        )
                    # A search shows exactly what may be read.
                    Model = self.env[model].with_user(user)
                    found = Model.has_access("read") and bool(
                        Model.search_count([("id", "=", record.id)])
                    )
                    if found != ("r" in expected):
                        wrong.append(f"{model} / {role} / {scope}: search {found}")
        if wrong:
            self.fail("\n".join(["The access differs from the table:", *wrong]))


@tagged("post_install", "-at_install")
class TestSatelliteWalls(AccessMatrixCommon):
    """The findings, with the real calls a client makes."""

    def _assert_refused(self, call, *args, **kwargs):
        with (
            self.assertRaises(AccessError),
            self.cr.savepoint(),
            mute_logger("odoo.models"),
        ):
            call(*args, **kwargs)

    def test_part_request_lines(self):
        line = self.records["aftersales.part.request.line"]["team"]
        # Another company's manager changed a line from 1 to 999.
        self._assert_refused(line.with_user(self.manager_c2).write, {"quantity": 999})
        self._assert_refused(line.with_user(self.manager_c2).read, ["quantity"])
        # A teammate reads the technician's request but does not edit it.
        self.assertEqual(line.with_user(self.teammate).quantity, 1)
        self._assert_refused(line.with_user(self.teammate).write, {"quantity": 40})
        self._assert_refused(line.with_user(self.teammate).unlink)
        self._assert_refused(
            self.env["aftersales.part.request.line"].with_user(self.teammate).create,
            {"request_id": line.request_id.id, "product_id": self.fuser.id},
        )
        other = self.records["aftersales.part.request.line"]["other_team"]
        self._assert_refused(other.with_user(self.technician).write, {"quantity": 3})
        self.assertEqual(line.quantity, 1)
        self.assertEqual(other.quantity, 1)
        # The requester changes their own draft.
        line.with_user(self.technician).quantity = 2
        self.assertEqual(line.quantity, 2)

    def test_part_request_only_on_own_tickets(self):
        Request = self.env["aftersales.part.request"].with_user(self.technician)
        other_ticket = self.records["aftersales.ticket"]["other_team"]
        self._assert_refused(
            Request.create,
            {
                "ticket_id": other_ticket.id,
                "user_id": self.technician.id,
                "line_ids": [Command.create({"product_id": self.fuser.id})],
            },
        )
        ticket = self.records["aftersales.ticket"]["team"]
        request = Request.create(
            {
                "ticket_id": ticket.id,
                "line_ids": [Command.create({"product_id": self.fuser.id})],
            }
        )
        self.assertEqual(request.user_id, self.technician)
        # ...and not on behalf of a teammate.
        self._assert_refused(
            Request.create,
            {
                "ticket_id": ticket.id,
                "user_id": self.teammate.id,
                "location_dest_id": self.stock_location.id,
            },
        )

    def test_escalation_ladder_per_company(self):
        Ladder = self.env["aftersales.sla.escalation"]
        rung = self.records["aftersales.sla.escalation"]["team"]
        foreign = self.records["aftersales.sla.escalation"]["company_2"]
        shared = Ladder.create({"name": "Breached: Everyone's Director"})
        everything = rung | foreign | shared
        self.assertEqual(
            Ladder.with_user(self.manager_c2).search([("id", "in", everything.ids)]),
            foreign | shared,
        )
        # Each company's managers edited and deleted the other's ladder.
        self._assert_refused(rung.with_user(self.manager_c2).write, {"name": "Mine"})
        self._assert_refused(rung.with_user(self.manager_c2).unlink)
        self._assert_refused(foreign.with_user(self.manager).write, {"name": "Mine"})
        # A shared rung climbs every company's tickets: a manager of one company
        # neither changes, deletes nor adds one.
        for manager in (self.manager_c2, self.manager):
            calls = [
                (shared.with_user(manager).write, {"delay_hours": 99}),
                (shared.with_user(manager).unlink,),
                (Ladder.with_user(manager).create, {"name": "Everyone"}),
            ]
            for call, *args in calls:
                with (
                    self.assertRaisesRegex(AccessError, "shared by every company"),
                    self.cr.savepoint(),
                ):
                    call(*args)
        with (
            self.assertRaisesRegex(AccessError, "shared by every company"),
            self.cr.savepoint(),
        ):
            rung.with_user(self.manager).write({"company_id": False})
        self.assertEqual(shared.delay_hours, 0)
        self.assertEqual(rung.company_id, self.company)
        # Each company's manager runs their own ladder; a manager of every
        # company runs the shared one.
        rung.with_user(self.manager).delay_hours = 2
        foreign.with_user(self.manager_c2).delay_hours = 3
        self.manager.company_ids = self.env["res.company"].search([])
        shared.with_user(self.manager).delay_hours = 4
        self.assertEqual(everything.mapped("delay_hours"), [2, 3, 4])

    def test_technician_sees_nothing_of_other_teams_tickets(self):
        tech = self.technician
        for model in (
            "aftersales.sla.pause",
            "aftersales.visit.part",
            "aftersales.part.request",
            "aftersales.part.request.line",
            "aftersales.capa",
            "aftersales.complaint.step",
            "repair.order",
        ):
            own = self.records[model]["team"]
            other = self.records[model]["other_team"]
            found = (
                self.env[model]
                .with_user(tech)
                .search([("id", "in", (own | other).ids)])
            )
            self.assertEqual(found, own, model)
            self._assert_refused(other.with_user(tech).read, ["display_name"])

    def test_sla_pauses(self):
        tech = self.technician
        other = self.records["aftersales.sla.pause"]["other_team"]
        self._assert_refused(other.with_user(tech).write, {"reason": "Mine now"})
        self._assert_refused(
            self.env["aftersales.sla.pause"].with_user(tech).create,
            {
                "ticket_id": self.records["aftersales.ticket"]["other_team"].id,
                "reason": "Forged",
                "date_start": fields.Datetime.now(),
            },
        )
        own = self.records["aftersales.sla.pause"]["team"]
        own.with_user(tech).reason = "Waiting for the customer's approval"
        self.assertEqual(own.reason, "Waiting for the customer's approval")

    def test_visit_parts(self):
        tech = self.technician
        other_visit = self.env["aftersales.visit"].create(
            {
                "ticket_id": self.records["aftersales.ticket"]["other_team"].id,
                "user_id": self.other_technician.id,
                "part_ids": [Command.create({"product_id": self.fuser.id})],
            }
        )
        part = other_visit.part_ids
        Part = self.env["aftersales.visit.part"].with_user(tech)
        self._assert_refused(part.with_user(tech).read, ["quantity"])
        self._assert_refused(part.with_user(tech).write, {"quantity": 4})
        self._assert_refused(part.with_user(tech).unlink)
        self._assert_refused(
            Part.create,
            {
                "visit_id": other_visit.id,
                "product_id": self.fuser.id,
                "location_id": self.stock_location.id,
            },
        )
        self.assertEqual(part.quantity, 1)
        own_visit = self.env["aftersales.visit"].create(
            {
                "ticket_id": self.records["aftersales.ticket"]["team"].id,
                "user_id": tech.id,
            }
        )
        own = Part.create({"visit_id": own_visit.id, "product_id": self.fuser.id})
        own.quantity = 2
        own.unlink()
        self.assertFalse(own_visit.part_ids)

    def test_repair_orders_without_ticket(self):
        """A technician with Inventory rights keeps Odoo's repair orders, but not
        those of other teams' tickets."""
        self.technician.groups_id |= self.env.ref("stock.group_stock_user")
        plain = self.env["repair.order"].create(
            {"product_id": self.plain_product.id, "partner_id": self.customer.id}
        )
        Repair = self.env["repair.order"].with_user(self.technician)
        own = self.records["repair.order"]["team"]
        other = self.records["repair.order"]["other_team"]
        self.assertEqual(
            Repair.search([("id", "in", (plain | own | other).ids)]), plain | own
        )
        plain.with_user(self.technician).internal_notes = "Customer's own repair"
        own.with_user(self.technician).internal_notes = "Fuser replaced"
        self._assert_refused(
            other.with_user(self.technician).write, {"internal_notes": "Mine"}
        )


class FormReader:
    """Read a form the way the web client does: its fields, as the user."""

    def _open_form(self, record):
        record.env.invalidate_all()
        views = record.get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        return record.web_read(self._spec(record.env, record._name, arch))

    def _spec(self, env, model, node):
        spec = {}
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag != "field":
                for name, value in self._spec(env, model, child).items():
                    spec.setdefault(name, value)
                continue
            field = env[model]._fields[child.get("name")]
            if field.type == "many2one":
                spec[field.name] = {"fields": {"display_name": {}}}
            elif field.type in ("one2many", "many2many"):
                sub = {}
                for view in child:
                    if isinstance(view.tag, str) and view.tag in ("list", "kanban"):
                        sub.update(self._spec(env, field.comodel_name, view))
                spec[field.name] = {"fields": sub} if sub else {}
            else:
                spec[field.name] = {}
        return spec


@tagged("post_install", "-at_install")
class TestFormsOpen(FormReader, AftersalesCommon):
    """The forms service staff open, as the role, with no Sales or Accounting
    rights."""

    def test_sale_order_form(self):
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "aftersales_ticket_id": self._new_ticket(user_id=self.technician.id).id,
                "order_line": [Command.create({"product_id": self.plain_product.id})],
            }
        )
        for user in (self.technician, self.agent, self.manager):
            self.assertFalse(user.has_group("sales_team.group_sale_salesman"))
            for order in (self.order, quotation):
                values = self._open_form(order.with_user(user))
                self.assertEqual(values[0]["name"], order.name)

    def test_supplier_recovery_form(self):
        recovery = self.env["aftersales.supplier.recovery"].create(
            {"partner_id": self.other_customer.id, "company_id": self.company.id}
        )
        for user in (self.agent, self.manager):
            self.assertFalse(user.has_group("account.group_account_invoice"))
            values = self._open_form(recovery.with_user(user))
            self.assertEqual(values[0]["name"], recovery.name)


@tagged("post_install", "-at_install")
class TestClaimFormOpens(FormReader, WarrantyClaimCommon):
    def test_photos_uploaded_before_the_claim_is_saved(self):
        """The photo widget uploads before the claim is saved: attached to no
        record, a photo was readable by its uploader only, and the claim form
        opened for nobody else."""
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = ticket.claim_ids
        Attachment = self.env["ir.attachment"]
        photo = Attachment.with_user(self.technician).create(
            {"name": "nameplate.png", "datas": PNG, "res_model": claim._name}
        )
        claim.with_user(self.technician).photo_ids = [Command.link(photo.id)]
        self.assertEqual((photo.res_model, photo.res_id), (claim._name, claim.id))
        for user in (self.manager, self.agent):
            values = self._open_form(claim.with_user(user))
            self.assertEqual(values[0]["photo_count"], 1)
        # Someone else's private upload linked by its id stays private.
        private = Attachment.with_user(self.other_technician).create(
            {"name": "private.png", "datas": PNG, "res_model": claim._name}
        )
        claim.with_user(self.technician).photo_ids = [Command.link(private.id)]
        self.assertFalse(private.res_id)

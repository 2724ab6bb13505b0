from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestTicketSecurity(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Ticket = cls.env["aftersales.ticket"]
        cls.team_ticket = Ticket.create(
            {"subject": "Team ticket", "team_id": cls.team.id}
        )
        cls.assigned_elsewhere = Ticket.create(
            {
                "subject": "Assigned to technician in another team",
                "team_id": cls.other_team.id,
                "user_id": cls.technician.id,
            }
        )
        cls.foreign_ticket = Ticket.create(
            {"subject": "Field team ticket", "team_id": cls.other_team.id}
        )
        cls.company_2_ticket = Ticket.create(
            {
                "subject": "Second company ticket",
                "company_id": cls.company_2.id,
                "team_id": cls.team_company_2.id,
            }
        )
        cls.all_tickets = cls.team_ticket | cls.assigned_elsewhere | cls.foreign_ticket
        cls.portal_user = new_test_user(
            cls.env, login="as_portal", groups="base.group_portal"
        )
        cls.plain_employee = new_test_user(
            cls.env, login="as_employee", groups="base.group_user"
        )

    def _visible(self, user):
        Ticket = self.env["aftersales.ticket"].with_user(user)
        return Ticket.search(
            [("id", "in", (self.all_tickets | self.company_2_ticket).ids)]
        )

    def test_technician_sees_team_and_own_tickets(self):
        self.assertEqual(
            self._visible(self.technician), self.team_ticket | self.assigned_elsewhere
        )
        with self.assertRaises(AccessError):
            self.foreign_ticket.with_user(self.technician).read(["subject"])
        with self.assertRaises(AccessError):
            self.foreign_ticket.with_user(self.technician).write({"subject": "x"})
        self.team_ticket.with_user(self.technician).write({"priority": "2"})
        with self.assertRaises(AccessError):
            self.team_ticket.with_user(self.technician).unlink()

    def test_team_leader_sees_team_tickets(self):
        # The leader is made a member of the team.
        self.assertIn(self.manager, self.team.member_ids)

    def test_agent_sees_all_tickets_of_allowed_companies(self):
        self.assertEqual(self._visible(self.agent), self.all_tickets)
        with self.assertRaises(AccessError):
            self.company_2_ticket.with_user(self.agent).read(["subject"])
        self.foreign_ticket.with_user(self.agent).write({"priority": "1"})
        with self.assertRaises(AccessError):
            self.foreign_ticket.with_user(self.agent).unlink()

    def test_other_company_user_sees_only_their_company(self):
        self.assertEqual(self._visible(self.agent_company_2), self.company_2_ticket)
        with self.assertRaises(AccessError):
            self.team_ticket.with_user(self.agent_company_2).read(["subject"])

    def test_manager_can_delete_and_configure(self):
        self.assertEqual(self._visible(self.manager), self.all_tickets)
        self.env["aftersales.stage"].with_user(self.manager).create(
            {"name": "Quality Check", "kind": "in_progress"}
        )
        self.foreign_ticket.with_user(self.manager).unlink()
        self.assertFalse(self.foreign_ticket.exists())

    def test_only_managers_configure(self):
        for user in (self.agent, self.technician):
            with self.assertRaises(AccessError):
                self.env["aftersales.stage"].with_user(user).create(
                    {"name": "Nope", "kind": "in_progress"}
                )
            with self.assertRaises(AccessError):
                self.env["aftersales.team"].with_user(user).create({"name": "Nope"})
            with self.assertRaises(AccessError):
                self.env["aftersales.ticket.type"].with_user(user).create(
                    {"name": "Nope"}
                )
            with self.assertRaises(AccessError):
                self.env["aftersales.fault.level"].with_user(user).create(
                    {"name": "Nope", "level": 9}
                )

    def test_portal_and_plain_employees_read_nothing(self):
        for user in (self.portal_user, self.plain_employee):
            for model in (
                "aftersales.ticket",
                "aftersales.team",
                "aftersales.stage",
                "aftersales.ticket.type",
                "aftersales.fault.level",
                "aftersales.tag",
            ):
                with self.assertRaises(AccessError, msg=f"{user.login} on {model}"):
                    self.env[model].with_user(user).search([])

    def test_team_config_is_company_bound(self):
        teams = self.env["aftersales.team"].with_user(self.agent_company_2).search([])
        self.assertEqual(teams, self.team_company_2)

    def test_technician_creates_ticket_in_own_team(self):
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.technician)
            .create({"subject": "Walk-in", "team_id": self.team.id})
        )
        self.assertTrue(ticket.name.startswith("AS"))

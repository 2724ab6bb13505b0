from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestTeamDashboard(AftersalesCommon):
    def test_counts_and_actions(self):
        Ticket = self.env["aftersales.ticket"]
        new = Ticket.create(
            {"subject": "new", "team_id": self.team.id, "priority": "3"}
        )
        assigned = Ticket.create(
            {
                "subject": "assigned",
                "team_id": self.team.id,
                "user_id": self.technician.id,
            }
        )
        cancelled = Ticket.create({"subject": "cancelled", "team_id": self.team.id})
        cancelled.action_cancel()
        Ticket.create({"subject": "other team", "team_id": self.other_team.id})
        team = self.team
        team.invalidate_recordset()
        self.assertRecordValues(
            team,
            [
                {
                    "ticket_new_count": 1,
                    "ticket_unassigned_count": 1,
                    "ticket_open_count": 2,
                    "ticket_high_priority_count": 1,
                }
            ],
        )
        for method, expected in (
            ("action_open_new_tickets", new),
            ("action_open_unassigned_tickets", new),
            ("action_open_open_tickets", new | assigned),
            ("action_open_high_priority_tickets", new),
        ):
            action = getattr(team, method)()
            self.assertEqual(Ticket.search(action["domain"]), expected, method)
            self.assertEqual(action["display_name"], action["name"], method)

    def test_counts_use_one_query_for_many_teams(self):
        teams = self.env["aftersales.team"].create(
            [{"name": f"Team {i}"} for i in range(10)]
        )
        self.env["aftersales.ticket"].create(
            [{"subject": f"t{i}", "team_id": teams[i % 10].id} for i in range(30)]
        )
        teams.invalidate_recordset()
        with self.assertQueryCount(1):
            teams.mapped("ticket_open_count")
        self.assertEqual(sum(teams.mapped("ticket_open_count")), 30)

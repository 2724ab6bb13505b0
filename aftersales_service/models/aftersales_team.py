import ast

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .aftersales_stage import OPEN_KINDS


class AftersalesTeam(models.Model):
    _name = "aftersales.team"
    _description = "After-Sales Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        check_company=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    member_ids = fields.Many2many(
        "res.users",
        "aftersales_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        check_company=True,
        domain="[('share', '=', False)]",
    )
    stage_ids = fields.Many2many(
        "aftersales.stage",
        "aftersales_stage_team_rel",
        "team_id",
        "stage_id",
        string="Own Stages",
        help="Stages used only by this team, on top of the shared ones.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Working hours of the team's SLA deadlines; the company's when empty.",
    )
    ticket_ids = fields.One2many("aftersales.ticket", "team_id")
    ticket_new_count = fields.Integer(compute="_compute_ticket_counts", string="New")
    ticket_unassigned_count = fields.Integer(
        compute="_compute_ticket_counts", string="Unassigned"
    )
    ticket_open_count = fields.Integer(compute="_compute_ticket_counts", string="Open")
    ticket_high_priority_count = fields.Integer(
        compute="_compute_ticket_counts", string="High Priority"
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_ticket_counts(self):
        # One grouped query for all teams and all four counters, under the
        # reader's record rules: cached per user.
        counts = {
            team.id: dict.fromkeys(("new", "unassigned", "open", "high"), 0)
            for team in self
        }
        groups = self.env["aftersales.ticket"]._read_group(
            [("team_id", "in", self.ids), ("stage_kind", "in", OPEN_KINDS)],
            ["team_id", "stage_kind", "user_id", "priority"],
            ["__count"],
        )
        for team, kind, user, priority, count in groups:
            team_counts = counts[team.id]
            team_counts["open"] += count
            if kind == "new":
                team_counts["new"] += count
            if not user:
                team_counts["unassigned"] += count
            if priority in ("2", "3"):
                team_counts["high"] += count
        for team in self:
            team_counts = counts.get(team.id) or dict.fromkeys(
                ("new", "unassigned", "open", "high"), 0
            )
            team.ticket_new_count = team_counts["new"]
            team.ticket_unassigned_count = team_counts["unassigned"]
            team.ticket_open_count = team_counts["open"]
            team.ticket_high_priority_count = team_counts["high"]

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("aftersales.ticket").id
        if self.id:
            defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            defaults.setdefault("channel", "email")
            values["alias_defaults"] = defaults
        return values

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        # The leader is a member, so the technician record rule shows them the team.
        for team in teams.filtered(
            lambda t: t.user_id and t.user_id not in t.member_ids
        ):
            team.member_ids |= team.user_id
        return teams

    def write(self, vals):
        res = super().write(vals)
        if "user_id" in vals or "member_ids" in vals:
            for team in self.filtered(
                lambda t: t.user_id and t.user_id not in t.member_ids
            ):
                team.member_ids |= team.user_id
        return res

    def _action_open_tickets(self, domain, name):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_ticket_action"
        )
        action.update(
            name=name,
            # The breadcrumb shows the figure clicked, not the generic action.
            display_name=name,
            domain=[("team_id", "=", self.id), *domain],
            context={"default_team_id": self.id, "search_default_group_stage": 0},
        )
        return action

    def action_open_new_tickets(self):
        return self._action_open_tickets([("stage_kind", "=", "new")], _("New Tickets"))

    def action_open_unassigned_tickets(self):
        return self._action_open_tickets(
            [("user_id", "=", False), ("stage_kind", "in", OPEN_KINDS)],
            _("Unassigned Tickets"),
        )

    def action_open_open_tickets(self):
        return self._action_open_tickets(
            [("stage_kind", "in", OPEN_KINDS)], _("Open Tickets")
        )

    def action_open_high_priority_tickets(self):
        return self._action_open_tickets(
            [("priority", "in", ("2", "3")), ("stage_kind", "in", OPEN_KINDS)],
            _("High Priority Tickets"),
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_tickets(self):
        """Tickets without a team vanish from the technicians' view."""
        Ticket = self.env["aftersales.ticket"].sudo().with_context(active_test=False)
        for team in self:
            if Ticket.search_count([("team_id", "=", team.id)], limit=1):
                raise UserError(
                    _(
                        "Team %(team)s still has tickets: move them to another team, "
                        "or archive the team instead.",
                        team=team.name,
                    )
                )

from odoo import api, fields, models

# What a stage means for the rules; the stage itself is free to rename.
STAGE_KINDS = [
    ("new", "New"),
    ("assigned", "Assigned"),
    ("in_progress", "In Progress"),
    ("waiting_customer", "Waiting for Customer"),
    ("waiting_parts", "Waiting for Parts"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
DONE_KINDS = ("closed", "cancelled")
OPEN_KINDS = tuple(kind for kind, _label in STAGE_KINDS if kind not in DONE_KINDS)


class AftersalesStage(models.Model):
    _name = "aftersales.stage"
    _description = "Service Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        STAGE_KINDS,
        string="Meaning",
        required=True,
        default="in_progress",
        help="What reaching this stage means: the closure, reopening, response "
        "and resolution rules follow the meaning, not the stage name.",
    )
    fold = fields.Boolean(
        string="Folded in Kanban", help="Fold this column in the kanban view."
    )
    description = fields.Text(translate=True)
    team_ids = fields.Many2many(
        "aftersales.team",
        "aftersales_stage_team_rel",
        "stage_id",
        "team_id",
        string="Teams",
        help="Teams using this stage. Leave empty to share it with all teams.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
    sla_pause = fields.Boolean(
        string="Pauses the SLA",
        compute="_compute_sla_pause",
        store=True,
        readonly=False,
        help="While a ticket is in this stage its SLA clock stands still, e.g. "
        "waiting for the customer or for parts.",
    )

    @api.depends("kind")
    def _compute_sla_pause(self):
        for stage in self:
            stage.sla_pause = stage.kind in ("waiting_customer", "waiting_parts")

    def _filter_for_team(self, team):
        """The stages a ticket of ``team`` may use: shared ones plus the team's own."""
        return self.filtered(lambda s: not s.team_ids or team in s.team_ids)

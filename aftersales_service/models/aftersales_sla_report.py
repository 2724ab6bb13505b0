from odoo import fields, models, tools
from odoo.tools import SQL

from .aftersales_ticket_sla import MEASURED_RESULTS, RESULTS, TARGETS

SLA_TARGETS = [
    ("response", "First Response"),
    ("onsite", "On Site"),
    ("resolution", "Resolution"),
]


class AftersalesSlaReport(models.Model):
    """SLA compliance: one row per measured target of a ticket.

    A target is measured once its result is decided (met, met late, or breached
    when the ticket was done without reaching it after its deadline); targets
    that are open or do not apply have no row, so the average of ``on_time`` is
    the on-time rate and the row count is the number measured.
    """

    _name = "aftersales.sla.report"
    _description = "SLA Compliance Analysis"
    _auto = False
    _order = "date_received desc, ticket_id desc, target"
    _rec_name = "ticket_id"
    # The rows are read from the tickets: pending ticket writes are flushed first.
    _depends = {
        "aftersales.ticket": [
            "company_id",
            "team_id",
            "user_id",
            "partner_id",
            "type_id",
            "fault_level_id",
            "sla_policy_id",
            "date_received",
            "active",
            "date_first_response",
            "date_onsite",
            "date_resolved",
            "date_last_stage_update",
            *(
                f"sla_{target}_{suffix}"
                for target in TARGETS
                for suffix in ("deadline", "result")
            ),
        ],
    }

    ticket_id = fields.Many2one("aftersales.ticket", string="Ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("aftersales.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    type_id = fields.Many2one(
        "aftersales.ticket.type", string="Ticket Type", readonly=True
    )
    fault_level_id = fields.Many2one(
        "aftersales.fault.level", string="Fault Level", readonly=True
    )
    sla_policy_id = fields.Many2one(
        "aftersales.sla.policy", string="SLA Policy", readonly=True
    )
    date_received = fields.Datetime(string="Received", readonly=True)
    target = fields.Selection(SLA_TARGETS, readonly=True)
    deadline = fields.Datetime(readonly=True)
    date_reached = fields.Datetime(
        string="Decided On",
        readonly=True,
        help="When the target was reached, or when the ticket was resolved or "
        "cancelled without reaching it.",
    )
    result = fields.Selection(RESULTS, readonly=True)
    met_count = fields.Integer(string="Met", readonly=True, aggregator="sum")
    on_time = fields.Float(
        string="On-Time Rate (%)",
        readonly=True,
        aggregator="avg",
        help="100 for a target met by its deadline, 0 for one met late or "
        "breached: its average is the on-time rate.",
    )
    active = fields.Boolean(readonly=True)

    def _select_target(self, index, target):
        return SQL(
            """
            SELECT t.id * %(width)s + %(index)s AS id,
                   t.id AS ticket_id,
                   t.company_id, t.team_id, t.user_id, t.partner_id, t.type_id,
                   t.fault_level_id, t.sla_policy_id, t.date_received, t.active,
                   %(target)s AS target,
                   t.%(deadline)s AS deadline,
                   COALESCE(t.%(reached)s, t.date_resolved, t.date_last_stage_update)
                       AS date_reached,
                   t.%(result)s AS result,
                   CASE WHEN t.%(result)s = 'met' THEN 1 ELSE 0 END AS met_count,
                   CASE WHEN t.%(result)s = 'met' THEN 100.0 ELSE 0.0 END AS on_time
              FROM aftersales_ticket t
             WHERE t.%(result)s IN %(measured)s
            """,
            width=len(TARGETS),
            index=index,
            target=target,
            deadline=SQL.identifier(f"sla_{target}_deadline"),
            reached=SQL.identifier(
                {
                    "response": "date_first_response",
                    "onsite": "date_onsite",
                    "resolution": "date_resolved",
                }[target]
            ),
            result=SQL.identifier(f"sla_{target}_result"),
            measured=MEASURED_RESULTS,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                SQL(" UNION ALL ").join(
                    self._select_target(index, target)
                    for index, target in enumerate(TARGETS)
                ),
            )
        )

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_ticket import SERVICE_LEVELS

TIME_BASES = [
    ("working", "Working Hours"),
    ("calendar", "Calendar Hours"),
]


class AftersalesSlaZone(models.Model):
    """Where the customer is, for on-site targets (city centre, suburbs, far...)."""

    _name = "aftersales.sla.zone"
    _description = "Service Zone"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")


class AftersalesSlaPolicy(models.Model):
    """Targets for first response, on-site arrival and resolution, and when they apply.

    The first active policy, by sequence, whose conditions all match a ticket
    applies; an empty condition matches everything.
    """

    _name = "aftersales.sla.policy"
    _description = "SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="When several policies match, the lowest sequence applies."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to apply the policy in every company."
    )
    description = fields.Text(translate=True)

    # Conditions
    type_ids = fields.Many2many("aftersales.ticket.type", string="Ticket Types")
    fault_level_ids = fields.Many2many("aftersales.fault.level", string="Fault Levels")
    service_level = fields.Selection(SERVICE_LEVELS)
    team_ids = fields.Many2many("aftersales.team", string="Teams")
    partner_ids = fields.Many2many("res.partner", string="Customers")
    partner_category_ids = fields.Many2many(
        "res.partner.category", string="Customer Tags"
    )
    zone_ids = fields.Many2many("aftersales.sla.zone", string="Zones")

    # Targets
    response_hours = fields.Float(
        string="First Response (hours)", help="0 means no target."
    )
    onsite_hours = fields.Float(
        string="On Site (hours)",
        help="0 means no target. It applies to tickets that need on-site service "
        "(their type says so, or a visit is planned), or to every ticket when "
        "'On Site for Every Ticket' is set.",
    )
    onsite_always = fields.Boolean(
        string="On Site for Every Ticket",
        help="Every ticket under this policy needs on-site service, whatever its "
        "type: the on-site target applies from the start.",
    )
    resolution_hours = fields.Float(
        string="Resolution (hours)", help="0 means no target."
    )
    time_basis = fields.Selection(
        TIME_BASES,
        string="Count In",
        required=True,
        default="working",
        help="Working hours follow the resource calendar (the policy's, else the "
        "team's, else the company's): nights, weekends and public holidays do not "
        "count.",
    )
    resource_calendar_id = fields.Many2one("resource.calendar", string="Working Hours")
    at_risk_percent = fields.Float(
        string="At Risk From (%)",
        default=80.0,
        help="A target is at risk once this share of its time is used.",
    )

    @api.constrains(
        "response_hours", "onsite_hours", "resolution_hours", "at_risk_percent"
    )
    def _check_targets(self):
        for policy in self:
            if (
                min(policy.response_hours, policy.onsite_hours, policy.resolution_hours)
                < 0
            ):
                raise ValidationError(
                    _(
                        "The targets of SLA policy %(policy)s cannot be negative.",
                        policy=policy.name,
                    )
                )
            if not 0 < policy.at_risk_percent <= 100:
                raise ValidationError(
                    _(
                        "The at-risk share of SLA policy %(policy)s must be above 0 "
                        "and at most 100 %%.",
                        policy=policy.name,
                    )
                )

    @api.constrains("resource_calendar_id", "time_basis")
    def _check_calendar(self):
        for policy in self:
            calendar = policy.resource_calendar_id
            if (
                policy.time_basis == "working"
                and calendar
                and not calendar.attendance_ids
            ):
                raise ValidationError(
                    _(
                        "The working hours %(calendar)s of SLA policy %(policy)s have "
                        "no working time: no deadline could ever be reached.",
                        calendar=calendar.name,
                        policy=policy.name,
                    )
                )

    def _matches(self, ticket):
        """Whether every condition of the policy holds for ``ticket``."""
        self.ensure_one()
        customer = ticket.partner_id.commercial_partner_id
        checks = (
            (self.company_id, lambda: ticket.company_id == self.company_id),
            (self.type_ids, lambda: ticket.type_id in self.type_ids),
            (
                self.fault_level_ids,
                lambda: ticket.fault_level_id in self.fault_level_ids,
            ),
            (self.service_level, lambda: ticket.service_level == self.service_level),
            (self.team_ids, lambda: ticket.team_id in self.team_ids),
            (self.partner_ids, lambda: customer in self.partner_ids),
            (
                self.partner_category_ids,
                lambda: bool(customer.category_id & self.partner_category_ids),
            ),
            (self.zone_ids, lambda: ticket.sla_zone_id in self.zone_ids),
        )
        return all(check() for condition, check in checks if condition)

    def _calendar_for(self, ticket):
        self.ensure_one()
        return (
            self.resource_calendar_id
            or ticket.team_id.resource_calendar_id
            or ticket.company_id.resource_calendar_id
        )

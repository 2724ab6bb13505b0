from odoo import fields, models

EVAL_WEIGHT_HELP = (
    "Weight of the rate in the scorecard's weighted score. A rate the month has "
    "no data for is left out and the other weights are scaled up; the complaint "
    "rate, where lower is better, scores 100 minus the rate."
)


class ResCompany(models.Model):
    """Settings of the feedback loop: surveys, follow-up calls, complaints,
    CAPA and technician evaluation."""

    _inherit = "res.company"

    # Surveys
    aftersales_survey_valid_days = fields.Integer(
        string="Survey Link Validity (days)",
        default=30,
        help="The public satisfaction-survey link stops working this many days "
        "after the ticket is closed.",
    )
    # Follow-up calls (回访)
    aftersales_followup_min_days = fields.Integer(
        string="First Follow-up Call From (days)",
        default=3,
        help="The first follow-up call is due this many days after closure.",
    )
    aftersales_followup_max_days = fields.Integer(
        string="First Follow-up Call Until (days)",
        default=7,
        help="The first follow-up call must be made at the latest this many days "
        "after closure.",
    )
    aftersales_followup_second_days = fields.Integer(
        string="Second Follow-up Call After (days)",
        default=0,
        help="A second follow-up call this many days after closure. Zero: none.",
    )
    aftersales_followup_user_id = fields.Many2one(
        "res.users",
        string="Follow-up Agent",
        help="Who makes the follow-up calls (服务回访员). Empty: the team leader, "
        "or else the ticket's responsible.",
    )
    aftersales_project_first_year_months = fields.Integer(
        string="Project Follow-ups in the First Year (months)",
        default=1,
        help="Project customers are called every this many months during the "
        "first year.",
    )
    aftersales_project_later_months = fields.Integer(
        string="Project Follow-ups After the First Year (months)",
        default=3,
        help="Project customers are called every this many months after the "
        "first year.",
    )
    # Complaints (投诉)
    aftersales_complaint_days_domestic = fields.Integer(
        string="Complaint Limit, Domestic (days)",
        default=13,
        help="A complaint of a domestic customer is closed within this many days "
        "of its acceptance.",
    )
    aftersales_complaint_days_foreign = fields.Integer(
        string="Complaint Limit, Foreign (days)",
        default=17,
        help="A complaint of a foreign customer is closed within this many days "
        "of its acceptance.",
    )
    aftersales_complaint_resurvey_months = fields.Integer(
        string="Complaint Re-survey After (months)",
        default=3,
        help="The complainant is surveyed again this many months after closure.",
    )
    aftersales_compensation_sales_manager_limit = fields.Monetary(
        string="Sales Manager Approves Up To",
        currency_field="currency_id",
        default=5000.0,
        help="Compensation up to this amount needs the sales manager only.",
    )
    aftersales_compensation_deputy_gm_limit = fields.Monetary(
        string="Deputy General Manager Approves Up To",
        currency_field="currency_id",
        default=20000.0,
        help="Compensation up to this amount also needs the deputy general manager; "
        "above it, the general manager too.",
    )
    aftersales_complaint_sales_manager_id = fields.Many2one(
        "res.users", string="Sales Manager (Complaints)"
    )
    aftersales_complaint_deputy_gm_id = fields.Many2one(
        "res.users", string="Deputy General Manager"
    )
    aftersales_complaint_gm_id = fields.Many2one("res.users", string="General Manager")
    # Quality loop
    aftersales_capa_failure_count = fields.Integer(
        string="CAPA After Failures",
        default=3,
        help="A CAPA is opened automatically when one product or lot has this many "
        "tickets within the CAPA window. Zero: never.",
    )
    aftersales_capa_window_days = fields.Integer(
        string="CAPA Window (days)",
        default=30,
        help="The period over which failures of one product or lot are counted.",
    )
    # Technician evaluation (考核) and rewards and penalties (奖惩)
    aftersales_eval_on_time_target = fields.Float(
        string="On-time Target (%)",
        default=90.0,
        help="Service timeliness rate a technician should reach (服务及时率).",
    )
    aftersales_eval_satisfaction_target = fields.Float(
        string="Satisfaction Target (%)",
        default=85.0,
        help="Share of satisfied survey answers a technician should reach.",
    )
    aftersales_eval_complaint_target = fields.Float(
        string="Complaint Rate Limit (%)",
        default=3.0,
        help="Complaints per closed job must stay under this rate (用户抱怨率).",
    )
    aftersales_eval_weight_on_time = fields.Float(
        string="Weight: On Time", default=30.0, help=EVAL_WEIGHT_HELP
    )
    aftersales_eval_weight_satisfaction = fields.Float(
        string="Weight: Satisfaction", default=30.0, help=EVAL_WEIGHT_HELP
    )
    aftersales_eval_weight_first_time_fix = fields.Float(
        string="Weight: First-time Fix", default=20.0, help=EVAL_WEIGHT_HELP
    )
    aftersales_eval_weight_complaint = fields.Float(
        string="Weight: No Complaints", default=20.0, help=EVAL_WEIGHT_HELP
    )
    aftersales_eval_grade_b = fields.Float(
        string="Grade B From (score)",
        default=80.0,
        help="Score from which a technician gets grade B, or grade A with every "
        "target met that the month has data for. A rate scoring under the "
        "grade C threshold allows grade C at best.",
    )
    aftersales_eval_grade_c = fields.Float(string="Grade C From (score)", default=60.0)
    aftersales_penalty_repeat_days = fields.Integer(
        string="Repeat Offence Window (days)",
        default=90,
        help="A penalty for the same reason within this many days of the previous "
        "one counts as a repeat offence and is doubled.",
    )

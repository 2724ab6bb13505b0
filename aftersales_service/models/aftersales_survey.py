import secrets

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq

CRITERIA = ("attitude", "skill", "timeliness", "promise")
RATING_VALUES = [("5", "Satisfied"), ("3", "Okay"), ("1", "Dissatisfied")]
ANSWER_CHANNELS = [
    ("link", "Public Link"),
    ("portal", "Portal"),
    ("call", "Follow-up Call"),
]


class AftersalesSurvey(models.Model):
    """The satisfaction survey (满意度调查) of one closed ticket.

    One per ticket, answered once, through a tokenised link or by an agent
    during the follow-up call. The overall rating goes through Odoo's rating
    mechanism; the four criteria are scored with configurable levels.
    """

    _name = "aftersales.survey"
    _description = "Satisfaction Survey"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    name = fields.Char(related="ticket_id.name", string="Ticket Number")
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index=True
    )
    team_id = fields.Many2one(
        related="ticket_id.team_id", store=True, index=True, string="Team"
    )
    technician_ids = fields.Many2many(
        "res.users",
        "aftersales_survey_technician_rel",
        "survey_id",
        "user_id",
        string="Technicians",
        readonly=True,
        help="The technicians the answer is attributed to.",
    )
    access_token = fields.Char(
        readonly=True, copy=False, groups="aftersales_service.group_aftersales_user"
    )
    date_expire = fields.Datetime(string="Link Expires On", readonly=True)
    state = fields.Selection(
        [("pending", "Waiting for Answer"), ("answered", "Answered")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    rating_id = fields.Many2one("rating.rating", string="Rating", readonly=True)
    rating_value = fields.Selection(RATING_VALUES, string="Overall Rating")
    rating_score = fields.Float(
        string="Overall Rating Score",
        compute="_compute_rating_score",
        store=True,
        aggregator="avg",
        help="The overall rating on a 0-100 scale (satisfied 100, okay 50, "
        "dissatisfied 0).",
    )
    attitude_level_id = fields.Many2one(
        "aftersales.survey.level", string="Service Attitude"
    )
    skill_level_id = fields.Many2one(
        "aftersales.survey.level", string="Technical Skill"
    )
    timeliness_level_id = fields.Many2one(
        "aftersales.survey.level", string="Timeliness"
    )
    promise_level_id = fields.Many2one("aftersales.survey.level", string="Promise Kept")
    attitude_score = fields.Float(
        related="attitude_level_id.score",
        store=True,
        string="Attitude Score",
        aggregator="avg",
    )
    skill_score = fields.Float(
        related="skill_level_id.score",
        store=True,
        string="Skill Score",
        aggregator="avg",
    )
    timeliness_score = fields.Float(
        related="timeliness_level_id.score",
        store=True,
        string="Timeliness Score",
        aggregator="avg",
    )
    promise_score = fields.Float(
        related="promise_level_id.score",
        store=True,
        string="Promise Score",
        aggregator="avg",
    )
    score = fields.Float(
        string="Average Score",
        compute="_compute_score",
        store=True,
        aggregator="avg",
        help="Average of the four criteria scores.",
    )
    is_satisfied = fields.Boolean(
        string="Satisfied",
        compute="_compute_score",
        store=True,
        help="Every criterion was answered with a level that counts as satisfied.",
    )
    comment = fields.Text()
    channel = fields.Selection(
        ANSWER_CHANNELS, string="Answered Through", readonly=True
    )
    date_answered = fields.Datetime(string="Answered On", readonly=True)
    answered_by_id = fields.Many2one("res.users", string="Recorded By", readonly=True)

    _sql_constraints = [
        ("ticket_unique", "UNIQUE(ticket_id)", "A ticket has only one survey."),
    ]

    @api.depends("rating_value")
    def _compute_rating_score(self):
        for survey in self:
            value = int(survey.rating_value or 0)
            survey.rating_score = (value - 1) * 25.0 if value else 0.0

    @api.depends(*(f"{c}_level_id" for c in CRITERIA))
    def _compute_score(self):
        for survey in self:
            levels = [survey[f"{c}_level_id"] for c in CRITERIA]
            if all(levels):
                survey.score = sum(level.score for level in levels) / len(levels)
                survey.is_satisfied = all(level.is_satisfied for level in levels)
            else:
                survey.score = 0.0
                survey.is_satisfied = False

    @api.depends("ticket_id.name")
    def _compute_display_name(self):
        for survey in self:
            survey.display_name = _("Survey of %(ticket)s", ticket=survey.name)

    # Creation -----------------------------------------------------------

    @api.model
    def _create_for_tickets(self, tickets):
        """A survey for each closed ticket that has none yet, and its e-mail."""
        tickets = tickets.filtered(lambda t: not t.survey_ids)
        if not tickets:
            return self.browse()
        now = fields.Datetime.now()
        vals_list = []
        for ticket in tickets:
            partner = ticket._rating_get_partner()
            rating = self.env["rating.rating"]
            if partner:
                token = ticket._rating_get_access_token(partner)
                rating = rating.sudo().search([("access_token", "=", token)], limit=1)
            valid_days = ticket.company_id.aftersales_survey_valid_days
            vals_list.append(
                {
                    "ticket_id": ticket.id,
                    "partner_id": partner.id,
                    "technician_ids": [(6, 0, ticket._feedback_technicians().ids)],
                    "access_token": secrets.token_urlsafe(32),
                    "date_expire": now + relativedelta(days=valid_days),
                    "rating_id": rating.id,
                }
            )
        surveys = self.sudo().create(vals_list)
        return surveys

    def action_send_by_mail(self):
        """(Re)send the survey link to the customer."""
        template = self.env.ref("aftersales_service.mail_template_aftersales_survey")
        for survey in self:
            if survey.state != "pending" or not survey.partner_id.email:
                raise UserError(
                    _("Only a pending survey of a customer with an e-mail can be sent.")
                )
            lang = survey.partner_id.lang or None
            body = template.with_context(lang=lang)._render_field(
                "body_html", survey.ids, compute_lang=False
            )[survey.id]
            survey.ticket_id.message_post(
                body=body,
                subject=_("How did we do? %(ticket)s", ticket=survey.name),
                partner_ids=survey.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    # Paper form ------------------------------------------------------------

    @api.model
    def _report_levels(self):
        return self.env["aftersales.survey.level"].search(
            [("company_id", "in", [False, self.env.company.id])]
        )

    @api.model
    def _report_criteria(self):
        return [
            (
                f"{c}_level_id",
                self._fields[f"{c}_level_id"].get_description(self.env)["string"],
            )
            for c in CRITERIA
        ]

    @api.model
    def _report_ratings(self):
        return self._fields["rating_value"]._description_selection(self.env)

    def _get_public_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/aftersales/survey/{self.sudo().access_token}"

    # Answering -----------------------------------------------------------

    @api.model
    def _find_by_token(self, token):
        """The survey a public token opens, or an empty recordset."""
        if not token or not isinstance(token, str):
            return self.browse()
        survey = self.sudo().search([("access_token", "=", token)], limit=1)
        if survey and consteq(survey.access_token, token):
            return survey
        return self.browse()

    def _is_expired(self):
        self.ensure_one()
        return bool(self.date_expire and self.date_expire < fields.Datetime.now())

    def _submit_answer(self, values, channel):
        """Record the one answer of this survey. ``values`` holds rating_value,
        the four ``<criterion>_level_id`` ids and comment. Raises UserError on
        bad input without writing anything."""
        self.ensure_one()
        if self.state == "answered":
            raise UserError(_("This survey has already been answered. Thank you."))
        if channel in ("link", "portal") and self._is_expired():
            raise UserError(_("This survey link has expired."))
        rating = str(values.get("rating_value") or "")
        if rating not in dict(RATING_VALUES):
            raise UserError(_("Please give an overall rating."))
        levels = self.env["aftersales.survey.level"].sudo()
        answer = {"rating_value": rating, "comment": values.get("comment") or False}
        for criterion in CRITERIA:
            raw = values.get(f"{criterion}_level_id")
            try:
                level = levels.browse(int(raw)).exists() if raw else levels
            except (TypeError, ValueError):
                level = levels
            if not level or level.company_id not in (
                self.company_id,
                self.env["res.company"],
            ):
                raise UserError(_("Please answer every question of the survey."))
            answer[f"{criterion}_level_id"] = level.id
        answer.update(
            {
                "state": "answered",
                "channel": channel,
                "date_answered": fields.Datetime.now(),
                "answered_by_id": self.env.user.id
                if not self.env.user._is_public()
                else False,
            }
        )
        self.sudo().write(answer)
        if self.rating_id:
            self.ticket_id.sudo().rating_apply(
                int(rating), rating=self.rating_id.sudo(), feedback=answer["comment"]
            )
        return True

    def action_record_answer(self):
        """An agent records the answer given on the phone."""
        for survey in self:
            survey._submit_answer(
                {
                    "rating_value": survey.rating_value,
                    "comment": survey.comment,
                    **{f"{c}_level_id": survey[f"{c}_level_id"].id for c in CRITERIA},
                },
                "call",
            )
        return True

    def action_open_public_link(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self._get_public_url(),
            "target": "new",
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered(self):
        for survey in self:
            if survey.state == "answered":
                raise UserError(
                    _(
                        "The survey of ticket %(ticket)s was answered by the "
                        "customer: it cannot be deleted.",
                        ticket=survey.name,
                    )
                )

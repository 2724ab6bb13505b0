from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.aftersales_survey import CRITERIA


class AftersalesSurveyController(http.Controller):
    """The public satisfaction survey opened by the tokenised link."""

    def _render(self, survey, template, **values):
        lang = survey.partner_id.lang or request.env.lang
        survey = survey.with_context(lang=lang)
        levels = (
            request.env["aftersales.survey.level"]
            .sudo()
            .with_context(lang=lang)
            .search(
                [("company_id", "in", [False, survey.company_id.id])],
            )
        )
        return (
            request.env["ir.ui.view"]
            .with_context(lang=lang)
            ._render_template(
                template,
                {"survey": survey, "levels": levels, "criteria": CRITERIA, **values},
            )
        )

    def _find(self, token):
        """The survey of the token; a logged-in customer only opens their own."""
        survey = request.env["aftersales.survey"]._find_by_token(token)
        user = request.env.user
        if survey and not user._is_public() and user.share:
            mine = user.partner_id.commercial_partner_id
            if survey.partner_id.commercial_partner_id != mine:
                return survey.browse()
        return survey

    @http.route(
        "/my/aftersales/surveys",
        type="http",
        auth="user",
        methods=["GET"],
        sitemap=False,
    )
    def my_surveys(self, **kwargs):
        """The pending surveys of the logged-in customer's company."""
        partner = request.env.user.partner_id.commercial_partner_id
        surveys = (
            request.env["aftersales.survey"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.id),
                    ("state", "=", "pending"),
                    ("date_expire", ">", fields.Datetime.now()),
                ]
            )
        )
        return request.env["ir.ui.view"]._render_template(
            "aftersales_service.survey_page_list", {"surveys": surveys}
        )

    @http.route(
        "/aftersales/survey/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def survey_page(self, token, **kwargs):
        survey = self._find(token)
        if not survey:
            raise request.not_found()
        if survey.state == "answered":
            return self._render(survey, "aftersales_service.survey_page_done")
        if survey._is_expired():
            return self._render(survey, "aftersales_service.survey_page_expired")
        return self._render(survey, "aftersales_service.survey_page_form")

    @http.route(
        "/aftersales/survey/<string:token>/submit",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def survey_submit(self, token, **post):
        survey = self._find(token)
        if not survey:
            raise request.not_found()
        values = {
            key: post.get(key)
            for key in ["rating_value", "comment"] + [f"{c}_level_id" for c in CRITERIA]
        }
        try:
            channel = "link" if request.env.user._is_public() else "portal"
            survey._submit_answer(values, channel)
        except UserError as error:
            if survey.state == "answered":
                return self._render(survey, "aftersales_service.survey_page_done")
            if survey._is_expired():
                return self._render(survey, "aftersales_service.survey_page_expired")
            return self._render(
                survey, "aftersales_service.survey_page_form", error=error.args[0]
            )
        return self._render(survey, "aftersales_service.survey_page_done")

from odoo import http
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

    @http.route(
        "/aftersales/survey/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def survey_page(self, token, **kwargs):
        survey = request.env["aftersales.survey"]._find_by_token(token)
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
        survey = request.env["aftersales.survey"]._find_by_token(token)
        if not survey:
            raise request.not_found()
        values = {
            key: post.get(key)
            for key in ["rating_value", "comment"] + [f"{c}_level_id" for c in CRITERIA]
        }
        try:
            survey._submit_answer(values, "link")
        except UserError as error:
            if survey.state == "answered":
                return self._render(survey, "aftersales_service.survey_page_done")
            if survey._is_expired():
                return self._render(survey, "aftersales_service.survey_page_expired")
            return self._render(
                survey, "aftersales_service.survey_page_form", error=error.args[0]
            )
        return self._render(survey, "aftersales_service.survey_page_done")

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_survey_valid_days = fields.Integer(
        related="company_id.aftersales_survey_valid_days", readonly=False
    )
    aftersales_followup_min_days = fields.Integer(
        related="company_id.aftersales_followup_min_days", readonly=False
    )
    aftersales_followup_max_days = fields.Integer(
        related="company_id.aftersales_followup_max_days", readonly=False
    )
    aftersales_followup_second_days = fields.Integer(
        related="company_id.aftersales_followup_second_days", readonly=False
    )
    aftersales_followup_user_id = fields.Many2one(
        related="company_id.aftersales_followup_user_id", readonly=False
    )
    aftersales_project_first_year_months = fields.Integer(
        related="company_id.aftersales_project_first_year_months", readonly=False
    )
    aftersales_project_later_months = fields.Integer(
        related="company_id.aftersales_project_later_months", readonly=False
    )
    aftersales_complaint_days_domestic = fields.Integer(
        related="company_id.aftersales_complaint_days_domestic", readonly=False
    )
    aftersales_complaint_days_foreign = fields.Integer(
        related="company_id.aftersales_complaint_days_foreign", readonly=False
    )
    aftersales_complaint_resurvey_months = fields.Integer(
        related="company_id.aftersales_complaint_resurvey_months", readonly=False
    )
    aftersales_compensation_sales_manager_limit = fields.Monetary(
        related="company_id.aftersales_compensation_sales_manager_limit",
        currency_field="currency_id",
        readonly=False,
    )
    aftersales_compensation_deputy_gm_limit = fields.Monetary(
        related="company_id.aftersales_compensation_deputy_gm_limit",
        currency_field="currency_id",
        readonly=False,
    )
    aftersales_complaint_sales_manager_id = fields.Many2one(
        related="company_id.aftersales_complaint_sales_manager_id", readonly=False
    )
    aftersales_complaint_deputy_gm_id = fields.Many2one(
        related="company_id.aftersales_complaint_deputy_gm_id", readonly=False
    )
    aftersales_complaint_gm_id = fields.Many2one(
        related="company_id.aftersales_complaint_gm_id", readonly=False
    )
    aftersales_capa_failure_count = fields.Integer(
        related="company_id.aftersales_capa_failure_count", readonly=False
    )
    aftersales_capa_window_days = fields.Integer(
        related="company_id.aftersales_capa_window_days", readonly=False
    )
    aftersales_eval_on_time_target = fields.Float(
        related="company_id.aftersales_eval_on_time_target", readonly=False
    )
    aftersales_eval_satisfaction_target = fields.Float(
        related="company_id.aftersales_eval_satisfaction_target", readonly=False
    )
    aftersales_eval_complaint_target = fields.Float(
        related="company_id.aftersales_eval_complaint_target", readonly=False
    )
    aftersales_eval_weight_on_time = fields.Float(
        related="company_id.aftersales_eval_weight_on_time", readonly=False
    )
    aftersales_eval_weight_satisfaction = fields.Float(
        related="company_id.aftersales_eval_weight_satisfaction", readonly=False
    )
    aftersales_eval_weight_first_time_fix = fields.Float(
        related="company_id.aftersales_eval_weight_first_time_fix", readonly=False
    )
    aftersales_eval_weight_complaint = fields.Float(
        related="company_id.aftersales_eval_weight_complaint", readonly=False
    )
    aftersales_eval_grade_b = fields.Float(
        related="company_id.aftersales_eval_grade_b", readonly=False
    )
    aftersales_eval_grade_c = fields.Float(
        related="company_id.aftersales_eval_grade_c", readonly=False
    )
    aftersales_penalty_repeat_days = fields.Integer(
        related="company_id.aftersales_penalty_repeat_days", readonly=False
    )

from odoo.tests import Form, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestFeedbackSettings(AftersalesCommon):
    def test_defaults_from_the_service_rules(self):
        company = self.env["res.company"].create({"name": "Fresh Service Co."})
        self.assertRecordValues(
            company,
            [
                {
                    "aftersales_followup_min_days": 3,
                    "aftersales_followup_max_days": 7,
                    "aftersales_project_first_year_months": 1,
                    "aftersales_project_later_months": 3,
                    "aftersales_complaint_days_domestic": 13,
                    "aftersales_complaint_days_foreign": 17,
                    "aftersales_complaint_resurvey_months": 3,
                    "aftersales_eval_on_time_target": 90.0,
                    "aftersales_eval_satisfaction_target": 85.0,
                    "aftersales_eval_complaint_target": 3.0,
                }
            ],
        )
        missed = self.env.ref("aftersales_service.penalty_reason_missed_call")
        report = self.env.ref("aftersales_service.penalty_reason_incomplete_report")
        self.assertEqual((missed.amount, report.amount), (50.0, 20.0))

    def test_settings_form_changes_company(self):
        settings = Form(self.env["res.config.settings"])
        settings.aftersales_complaint_days_foreign = 20
        settings.aftersales_followup_second_days = 30
        settings.save().execute()
        self.assertEqual(self.company.aftersales_complaint_days_foreign, 20)
        self.assertEqual(self.company.aftersales_followup_second_days, 30)

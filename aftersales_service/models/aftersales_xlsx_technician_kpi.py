from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from .aftersales_technician_evaluation import FIGURE_BASES
from .aftersales_ticket_warranty import SERVICE_CATEGORIES
from .xlsx_writer import XlsxColumn

# Scorecard counters and amounts, summed over months.
SUMMED = (
    "jobs_closed",
    "sla_measured",
    "sla_met",
    "repeat_repairs",
    "survey_count",
    "satisfied_count",
    "complaint_count",
    "followups_done",
    "paid_revenue",
    "reward_total",
    "penalty_total",
)
# Survey averages stored on the scorecard (weighted by the surveys answered).
AVERAGES = ("avg_rating", "avg_attitude", "avg_skill", "avg_timeliness", "avg_promise")
# Rates stored in percent on the scorecard, and the counters they are made of.
RATES = {
    "on_time_rate": ("sla_met", "sla_measured"),
    "first_time_fix_rate": ("first_time_fixes", "jobs_closed"),
    "satisfaction_rate": ("satisfied_count", "survey_count"),
    "complaint_rate": ("complaint_count", "jobs_closed"),
}


class AftersalesXlsxTechnicianKpi(models.AbstractModel):
    """The stored monthly scorecards of the period, per technician and month,
    and a summary per technician over the whole period.

    Summary rule: counters and amounts are summed; the four rates are made
    again from the summed counters (on time = jobs on time / jobs with SLA,
    first-time fix = first-time fixes / jobs closed, satisfaction = satisfied
    / answered, complaints = complaints / jobs closed), and are empty without
    a denominator; the survey averages are weighted by the surveys answered;
    the score is the plain average of the graded months.

    No data is an empty cell, in the months as in the summary: a rate or
    survey average whose counter is 0, the score of a month without a grade.
    """

    _name = "aftersales.xlsx.technician.kpi"
    _inherit = "aftersales.xlsx.report"
    _description = "Technician KPIs"
    _xlsx_sequence = 40

    # Scope ---------------------------------------------------------------

    def _kpi_domain(self, options):
        """Scorecards of the months that overlap the period."""
        domain = [
            ("company_id", "in", options.company_ids.ids),
            ("date_from", ">=", options.date_from.replace(day=1)),
            ("date_from", "<=", options.date_to),
        ]
        if options.user_ids:
            domain.append(("user_id", "in", options.user_ids.ids))
        if options.team_ids:
            members = options.team_ids.member_ids | options.team_ids.user_id
            domain.append(("user_id", "in", members.ids))
        return domain

    # Columns -------------------------------------------------------------

    def _kpi_columns(self, multi_company, summary=False):
        columns = [XlsxColumn("user", _("Technician"), width=22)]
        if summary:
            columns.append(
                XlsxColumn("months", _("Months Counted"), "int", total="sum")
            )
        else:
            columns.append(XlsxColumn("month", _("Month"), "month"))
        if multi_company:
            columns.append(XlsxColumn("company", _("Company"), width=20))
        average = "avg"
        columns += [
            XlsxColumn("jobs_closed", _("Jobs Closed"), "int", total="sum"),
            XlsxColumn("sla_measured", _("Jobs with SLA"), "int", total="sum"),
            XlsxColumn("sla_met", _("Jobs on Time"), "int", total="sum"),
            XlsxColumn(
                "on_time_rate",
                _("On-time Rate"),
                "percent",
                total=("ratio", "sla_met", "sla_measured"),
            ),
            XlsxColumn("repeat_repairs", _("Repeat Repairs"), "int", total="sum"),
            XlsxColumn("first_time_fixes", _("First-time Fixes"), "int", total="sum"),
            XlsxColumn(
                "first_time_fix_rate",
                _("First-time Fix Rate"),
                "percent",
                total=("ratio", "first_time_fixes", "jobs_closed"),
            ),
            XlsxColumn("survey_count", _("Surveys Answered"), "int", total="sum"),
            XlsxColumn("satisfied_count", _("Satisfied Answers"), "int", total="sum"),
            XlsxColumn(
                "satisfaction_rate",
                _("Satisfaction Rate"),
                "percent",
                total=("ratio", "satisfied_count", "survey_count"),
            ),
            XlsxColumn("avg_rating", _("Overall Rating"), "float", total=average),
            XlsxColumn("avg_attitude", _("Service Attitude"), "float", total=average),
            XlsxColumn("avg_skill", _("Technical Skill"), "float", total=average),
            XlsxColumn("avg_timeliness", _("Timeliness"), "float", total=average),
            XlsxColumn("avg_promise", _("Promise Kept"), "float", total=average),
            XlsxColumn("complaint_count", _("Complaints"), "int", total="sum"),
            XlsxColumn(
                "complaint_rate",
                _("Complaint Rate"),
                "percent",
                total=("ratio", "complaint_count", "jobs_closed"),
            ),
            XlsxColumn("followups_done", _("Follow-ups Done"), "int", total="sum"),
            XlsxColumn("paid_revenue", _("Paid-service Revenue"), "money", total="sum"),
            XlsxColumn("reward_total", _("Rewards"), "money", total="sum"),
            XlsxColumn("penalty_total", _("Penalties"), "money", total="sum"),
        ]
        categories = self._xlsx_labels(
            "aftersales.technician.evaluation.hours", "service_category"
        )
        for key, _label in SERVICE_CATEGORIES:
            columns.append(
                XlsxColumn(
                    f"hours_{key}",
                    _("Hours: %(category)s", category=categories[key]),
                    "hours",
                    width=12,
                    total="sum",
                )
            )
        columns.append(XlsxColumn("hours", _("Labour Hours"), "hours", total="sum"))
        if summary:
            columns += [
                XlsxColumn("score", _("Average Score"), "float", total=average),
                XlsxColumn("grade", _("Grades"), width=16),
            ]
        else:
            columns += [
                XlsxColumn("score", _("Weighted Score"), "float", total=average),
                XlsxColumn("grade", _("Grade"), width=8),
                XlsxColumn("state", _("Status"), width=10),
            ]
        return columns

    # Data ----------------------------------------------------------------

    def _kpi_rows(self, options):
        """One dict per stored scorecard, from one grouped query (plus one for
        the hours), in technician and month order."""
        Card = self.env["aftersales.technician.evaluation"]
        domain = self._kpi_domain(options)
        groups = Card._read_group(
            domain,
            ["user_id", "date_from:month", "company_id", "state", "grade"],
            [f"{name}:sum" for name in SUMMED]
            + [f"{name}:max" for name in (*AVERAGES, *RATES, "score")],
        )
        hours = self._kpi_hours(Card._search(domain))
        grades = dict(self._xlsx_labels(Card._name, "grade"))
        states = dict(self._xlsx_labels(Card._name, "state"))
        figures = (*SUMMED, *AVERAGES, *RATES, "score")
        rows = []
        for user, month, company, state, grade, *values in groups:
            # Figures never stored read as NULL: they are zero on the card.
            row = {
                name: value or 0 for name, value in zip(figures, values, strict=True)
            }
            row.update(
                user=user.name,
                user_id=user.id,
                month=month,
                company=company.name,
                company_id=company.id,
                grade_key=grade,
                grade=grades.get(grade),
                state=states.get(state),
                first_time_fixes=row["jobs_closed"] - row["repeat_repairs"],
            )
            for rate in RATES:
                row[rate] = row[rate] / 100.0
            # Stored as 0 without data (a Float cannot be empty): no data here.
            for name, base in FIGURE_BASES.items():
                if not row[base]:
                    row[name] = None
            if not grade:
                row["score"] = None
            by_category = hours.get((user.id, company.id, month), {})
            for key, _label in SERVICE_CATEGORIES:
                row[f"hours_{key}"] = by_category.get(key, 0.0)
            row["hours"] = sum(by_category.values())
            rows.append(row)
        rows.sort(key=lambda r: (r["user"] or "", r["user_id"], r["month"]))
        return rows

    def _kpi_hours(self, cards):
        """{(technician, company, month): {category: hours}} of the scorecards."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT e.user_id, e.company_id, date_trunc('month', e.date_from)::date,
                       h.service_category, SUM(h.hours)
                  FROM aftersales_technician_evaluation_hours h
                  JOIN aftersales_technician_evaluation e ON e.id = h.evaluation_id
                 WHERE h.evaluation_id IN %s
                   AND h.service_category IS NOT NULL
              GROUP BY 1, 2, 3, 4
                """,
                cards.subselect(),
            )
        )
        result = defaultdict(dict)
        for user_id, company_id, month, category, value in rows:
            result[(user_id, company_id, month)][category] = value or 0.0
        return result

    @api.model
    def _kpi_summary(self, rows):
        """One dict per technician (and company) over the period."""
        summary = {}
        for row in rows:
            key = (row["user_id"], row["company_id"])
            total = summary.get(key)
            if total is None:
                total = summary[key] = defaultdict(float)
                total.update(user=row["user"], company=row["company"], grades=[])
            total["months"] += 1
            for name in (*SUMMED, "first_time_fixes", "hours"):
                total[name] += row[name]
            for category, _label in SERVICE_CATEGORIES:
                total[f"hours_{category}"] += row[f"hours_{category}"]
            for name in AVERAGES:
                if row["survey_count"]:
                    total[f"{name}_points"] += row[name] * row["survey_count"]
            if row["grade_key"]:
                total["graded"] += 1
                total["score_points"] += row["score"]
                total["grades"].append(row["grade"])
        result = []
        for total in summary.values():
            for rate, (num, den) in RATES.items():
                total[rate] = total[num] / total[den] if total[den] else None
            surveys = total["survey_count"]
            for name in AVERAGES:
                total[name] = total[f"{name}_points"] / surveys if surveys else None
            total["score"] = (
                total["score_points"] / total["graded"] if total["graded"] else None
            )
            counted = defaultdict(int)
            for grade in total["grades"]:
                counted[grade] += 1
            total["grade"] = ", ".join(
                f"{grade} ×{count}" for grade, count in sorted(counted.items())
            )
            result.append(total)
        return result

    # Workbook ------------------------------------------------------------

    def _xlsx_write(self, book, options):
        multi_company = len(options.company_ids) > 1
        rows = self._kpi_rows(options)
        summary = book.table(
            _("Summary"), self._kpi_columns(multi_company, summary=True)
        )
        for total in self._kpi_summary(rows):
            summary.add_row(total)
        summary.close()
        monthly = book.table(
            _("By Month"), self._kpi_columns(multi_company), freeze_cols=2
        )
        for row in rows:
            monthly.add_row(row)
        monthly.close()

    # Print menu ----------------------------------------------------------

    @api.model
    def _xlsx_action_for(self, cards):
        """The export wizard opened on the months and technicians of ``cards``."""
        defaults = {}
        if cards:
            defaults = {
                "date_from": fields.Date.to_string(min(cards.mapped("date_from"))),
                "date_to": fields.Date.to_string(
                    max(cards.mapped("date_from")) + relativedelta(months=1, days=-1)
                ),
                "user_ids": cards.user_id.ids,
            }
        return self.env["aftersales.xlsx.export"].action_open_for(
            self._name, **defaults
        )

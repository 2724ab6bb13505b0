import { registry } from "@web/core/registry";

// From a ticket: plan a visit, arrive, record the work, get the customer's
// signature and complete it.
registry.category("web_tour.tours").add("aftersales_visit_tour", {
    steps: () => [
        {
            content: "Plan a visit from the ticket",
            trigger: ".o_form_view button[name=action_new_visit]",
            run: "click",
        },
        {
            content: "The visit belongs to the ticket",
            trigger: ".o_form_view .o_field_widget[name=ticket_id] input:value(Tour visit ticket)",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Arrive on site",
            trigger: ".o_form_view button[name=action_arrive]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=state] .o_arrow_button_current:contains(On Site)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=date_departure] input",
            run: "edit 12/31/2030 10:00:00",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=travel_distance] input",
            run: "edit 25",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=work_done] textarea",
            run: "edit Cleaned the paper path",
        },
        {
            content: "Open the sign-off tab",
            trigger: ".o_notebook .nav-link:contains(Customer Sign-Off)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=signed_by] input",
            run: "edit Li Lei",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=signature] .o_signature",
            run: "click",
        },
        {
            content: "The customer adopts the signature",
            trigger: ".modal .modal-footer .btn-primary:enabled",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=signature] img.o_signature",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Complete the visit",
            trigger: ".o_form_view:not(:has(.o_form_status_indicator_buttons:not(.invisible))) button[name=action_complete]",
            run: "click",
        },
        {
            content: "The visit is completed",
            trigger: ".o_form_view .o_field_widget[name=state] .o_arrow_button_current:contains(Completed)",
        },
    ],
});

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const SUBJECT = "Tour: printer jams every ten pages";

registry.category("web_tour.tours").add("aftersales_ticket_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the After-Sales app",
            trigger: '.o_app[data-menu-xmlid="aftersales_service.aftersales_menu_root"]',
            run: "click",
        },
        {
            content: "The team dashboard shows the teams",
            trigger: ".o_kanban_view .o_kanban_record:contains(Tour Team)",
        },
        {
            trigger: 'button[data-menu-xmlid="aftersales_service.aftersales_menu_tickets"]',
            run: "click",
        },
        {
            content: "Open all tickets",
            trigger: 'a[data-menu-xmlid="aftersales_service.aftersales_menu_ticket_all"]',
            run: "click",
        },
        {
            content: "Every stage is a column, even when empty",
            trigger: ".o_kanban_group .o_column_title:contains(Waiting for Parts)",
        },
        {
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=subject] input",
            run: `edit ${SUBJECT}`,
        },
        {
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: "edit Tour Customer",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Customer)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=channel] select",
            run: 'select "walk_in"',
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The ticket got its number",
            trigger: ".o_form_view .o_field_widget[name=name]:contains(AS)",
        },
        {
            content: "Back to the kanban",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            trigger: `.o_kanban_group:has(.o_column_title:contains(New)) .o_kanban_record:contains(${SUBJECT})`,
            run: "drag_and_drop(.o_kanban_group:has(.o_column_title:contains(In Progress)))",
        },
        {
            content: "The ticket is now in progress",
            trigger: `.o_kanban_group:has(.o_column_title:contains(In Progress)) .o_kanban_record:contains(${SUBJECT})`,
        },
    ],
});

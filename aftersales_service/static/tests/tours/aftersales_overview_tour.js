import { registry } from "@web/core/registry";

const TEAM = ".o_kanban_record:contains(Overview Tour Team)";

registry.category("web_tour.tours").add("aftersales_overview_tour", {
    url: "/odoo/aftersales",
    steps: () => [
        {
            content: "The team card shows its open tickets per stage meaning",
            trigger: `${TEAM} a[name=action_overview_open_stage_kind]:contains(Waiting for Parts):contains(1)`,
        },
        {
            content: "A month without closed tickets shows a dash, not 0 %",
            trigger: `${TEAM} a[name=action_overview_open_closed_tickets]:contains(—)`,
        },
        {
            content: "Open the tickets waiting for parts",
            trigger: `${TEAM} a[name=action_overview_open_stage_kind]:contains(Waiting for Parts)`,
            run: "click",
        },
        {
            content: "The list holds the ticket behind the figure",
            trigger: ".o_list_view .o_data_row:contains(Overview tour: waiting for a fuser)",
        },
        {
            content: "...and only that one",
            trigger: ".o_list_view:not(:has(.o_data_row:contains(Overview tour: just arrived)))",
        },
        {
            content: "The breadcrumb names the figure",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains(Waiting for Parts)",
        },
    ],
});

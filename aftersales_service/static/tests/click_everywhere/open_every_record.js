/**
 * Complement of Odoo's clickbot for the After-Sales app: the clickbot opens
 * every menu, switches every view type and clicks every filter, but never
 * opens a record. For every window action of the app's menus, this opens
 * - the navigation buttons of the first kanban card (the Overview's counters),
 * - the form of its newest record: every notebook page, every smart button,
 * - a new record's form, when the user may create,
 * - the app's section of the Settings,
 * and fails on any client error.
 *
 * Started by tests/test_click_everywhere.py through browser_js.
 */
import { App } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { rpcBus } from "@web/core/network/rpc";
import { user } from "@web/core/user";

export const SUCCESS_SIGNAL = "aftersales records test succeeded";

const TIMEOUT = 30000;
const FORM = ".o_action_manager > .o_action.o_form_view";
const STAT_BUTTONS = `${FORM} .o-form-buttonbox > button.oe_stat_button`;
const KANBAN = ".o_action_manager > .o_action.o_kanban_view";
// Buttons of kanban cards that only open records (e.g. the Overview's counters).
const NAVIGATION_BUTTON = /^action_(open|view|overview_open)_/;

let env;
let pendingRPC;
let testedActions;
let openedRecords;
let settingsKey;

function onRPCRequest({ detail }) {
    pendingRPC[detail.data.id] = detail.url;
}

function onRPCResponse({ detail }) {
    delete pendingRPC[detail.data.id];
}

function log(message) {
    browser.console.log(message);
}

/**
 * Wait until `condition` holds, no RPC is pending and Owl has nothing left
 * to render; throws on an error dialog or after TIMEOUT ms.
 */
async function waitForIdle(condition = () => true, description = "") {
    const start = Date.now();
    const isBusy = () =>
        Object.keys(pendingRPC).length > 0 || [...App.apps].some((app) => app.scheduler.tasks.size);
    // Let clicks and their RPCs start before looking.
    await new Promise((resolve) => browser.setTimeout(resolve, 50));
    while (true) {
        const errorDialog = document.querySelector(".o_error_dialog");
        if (errorDialog) {
            throw new Error(`Error dialog detected: ${errorDialog.innerText}`);
        }
        if (condition() && !isBusy()) {
            break;
        }
        if (Date.now() - start > TIMEOUT) {
            const pending = Object.values(pendingRPC).join(", ");
            throw new Error(
                `Timeout waiting for ${description || condition}; pending RPC: ${pending}`
            );
        }
        await new Promise((resolve) => browser.setTimeout(resolve, 25));
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
}

async function click(element, description) {
    log(`Clicking on: ${description}`);
    element.click();
    await waitForIdle(() => true, description);
}

/** Open every page of every notebook of the form (only the active one is rendered). */
async function openNotebookPages() {
    const count = document.querySelectorAll(`${FORM} .o_notebook_headers .nav-link`).length;
    for (let index = 0; index < count; index++) {
        const tab = document.querySelectorAll(`${FORM} .o_notebook_headers .nav-link`)[index];
        if (tab && !tab.classList.contains("active")) {
            await click(tab, `page "${tab.innerText.trim()}"`);
        }
    }
}

/**
 * Click each smart button of the form, then come back to the form; the
 * buttons that do not fit are in the button box's "More" dropdown.
 */
async function openSmartButtons() {
    const actionService = env.services.action;
    const moreToggle = () => document.querySelector(`${FORM} .o-form-buttonbox .o_button_more`);
    const moreButtons = () => document.querySelectorAll(".o_dropdown_more button.oe_stat_button");
    const lists = [
        async () => document.querySelectorAll(STAT_BUTTONS),
        async () => {
            if (moreToggle() && !document.querySelector(".o_dropdown_more")) {
                await click(moreToggle(), "more smart buttons");
            }
            return moreButtons();
        },
    ];
    for (const getButtons of lists) {
        for (let index = 0; ; index++) {
            const button = (await getButtons())[index];
            if (!button) {
                break;
            }
            if (button.disabled) {
                continue;
            }
            const formJsId = actionService.currentController.jsId;
            await click(button, `smart button "${button.innerText.trim().replace(/\s+/g, " ")}"`);
            const dialogClose = document.querySelector(".o_dialog:not(.o_error_dialog) .btn-close");
            if (dialogClose) {
                await click(dialogClose, "dialog close button");
            }
            if (actionService.currentController.jsId !== formJsId) {
                await actionService.restore(formJsId);
                await waitForIdle(() => document.querySelector(FORM), "the form to come back");
            }
        }
    }
    if (document.querySelector(".o_dropdown_more")) {
        await click(moreToggle(), "more smart buttons");
    }
}

/** Click the navigation buttons of the first card of the action's kanban view. */
async function openKanbanCardButtons(menu, action) {
    const actionService = env.services.action;
    if (!action.views.some(([, viewType]) => viewType === "kanban")) {
        return;
    }
    await actionService.doAction(menu.actionID, { clearBreadcrumbs: true, viewType: "kanban" });
    await waitForIdle(() => document.querySelector(KANBAN), `the kanban of ${action.res_model}`);
    const buttons = () => {
        const card = document.querySelector(`${KANBAN} .o_kanban_record:not(.o_kanban_ghost)`);
        return card
            ? [...card.querySelectorAll("[name][type=object], [name][type=action]")].filter(
                  (button) => NAVIGATION_BUTTON.test(button.getAttribute("name"))
              )
            : [];
    };
    for (let index = 0; index < buttons().length; index++) {
        const button = buttons()[index];
        const kanbanJsId = actionService.currentController.jsId;
        const name = button.getAttribute("name");
        await click(button, `card button ${name} "${button.innerText.trim()}"`);
        if (actionService.currentController.jsId !== kanbanJsId) {
            await actionService.restore(kanbanJsId);
            await waitForIdle(() => document.querySelector(KANBAN), "the kanban to come back");
        }
    }
}

/** Open a new record from the form when the user may create, and discard it. */
async function openNewRecord() {
    const newButton = document.querySelector(`${FORM} .o_form_button_create`);
    if (!newButton) {
        return;
    }
    await click(newButton, "new record button");
    await waitForIdle(() => document.querySelector(FORM), "the new record's form");
    await openNotebookPages();
    const discard = document.querySelector(`${FORM} .o_form_button_cancel`);
    if (discard) {
        await click(discard, "discard button");
    }
}

/** The Settings open on the app's own section. */
async function openSettings(menu) {
    const actionService = env.services.action;
    log(`Testing the settings of menu ${menu.xmlid}`);
    await actionService.doAction(menu.actionID, { clearBreadcrumbs: true });
    const section = `${FORM} .app_settings_block[data-key="${settingsKey}"]`;
    await waitForIdle(() => document.querySelector(section), `the settings section ${settingsKey}`);
}

async function testMenu(menu) {
    const { action: actionService, orm } = env.services;
    const action = await actionService.loadAction(menu.actionID);
    if (
        action.type !== "ir.actions.act_window" ||
        action.target === "new" ||
        testedActions.has(action.id)
    ) {
        return;
    }
    testedActions.add(action.id);
    if (action.res_model === "res.config.settings") {
        await openSettings(menu);
        return;
    }
    log(`Testing the records of menu ${menu.xmlid} (${action.res_model})`);
    await openKanbanCardButtons(menu, action);
    if (!action.views.some(([, viewType]) => viewType === "form")) {
        return;
    }
    // The newest record: the test's own, linked to the most other records.
    const [resId] = await orm.search(action.res_model, action.domain, {
        limit: 1,
        order: "id desc",
        context: action.context,
    });
    log(`Opening the form of ${action.res_model} ${resId || "(new record)"}`);
    if (!resId) {
        // Only the new record's form, from the list's or kanban's New button.
        await actionService.doAction(menu.actionID, { clearBreadcrumbs: true });
        await waitForIdle(() => document.querySelector(".o_action_manager > .o_action"));
        const newButton = document.querySelector(
            ".o_control_panel .o_list_button_add, .o_control_panel .o-kanban-button-new"
        );
        if (newButton) {
            await actionService.switchView("form", { resId: false });
            await waitForIdle(() => document.querySelector(FORM), "the new record's form");
            await openNotebookPages();
            const discard = document.querySelector(`${FORM} .o_form_button_cancel`);
            if (discard) {
                await click(discard, "discard button");
            }
        }
        return;
    }
    await actionService.doAction(menu.actionID, {
        clearBreadcrumbs: true,
        viewType: "form",
        props: { resId },
    });
    await waitForIdle(() => document.querySelector(FORM), `the form of ${action.res_model}`);
    await openNotebookPages();
    // Several actions show the same record: its smart buttons once is enough.
    if (!openedRecords.has(`${action.res_model},${resId}`)) {
        openedRecords.add(`${action.res_model},${resId}`);
        await openSmartButtons();
    }
    await openNewRecord();
}

/**
 * @param {string} rootXmlid the app's root menu
 * @param {string} appSettingsKey the name of the app's section of the Settings
 * @param {string} lang the language the user must see the app in
 */
export async function openEveryRecord(rootXmlid, appSettingsKey, lang) {
    env = odoo.__WOWL_DEBUG__.root.env;
    settingsKey = appSettingsKey;
    pendingRPC = {};
    testedActions = new Set();
    openedRecords = new Set();
    rpcBus.addEventListener("RPC:REQUEST", onRPCRequest);
    rpcBus.addEventListener("RPC:RESPONSE", onRPCResponse);
    const menuService = env.services.menu;
    const root = menuService.getAll().find((menu) => menu.xmlid === rootXmlid);
    const menus = [];
    const collect = (menu) => {
        if (menu.actionID) {
            menus.push(menu);
        }
        menu.children.forEach((id) => collect(menuService.getMenu(id)));
    };
    let current;
    try {
        if (user.context.lang !== lang) {
            throw new Error(`The user's language is ${user.context.lang}, not ${lang}`);
        }
        if (!root) {
            throw new Error(`No menu ${rootXmlid} for this user`);
        }
        collect(root);
        for (current of menus) {
            await testMenu(current);
        }
        log(`Opened the records of ${testedActions.size} actions`);
        log(SUCCESS_SIGNAL);
    } catch (error) {
        browser.console.error(
            `Error while opening the records of menu ${current?.xmlid}: ${error}\n` +
                (error?.stack || "")
        );
    } finally {
        rpcBus.removeEventListener("RPC:REQUEST", onRPCRequest);
        rpcBus.removeEventListener("RPC:RESPONSE", onRPCResponse);
    }
}

"""/docs and /redoc render in a real browser with every request outside the API's own address refused:
the documentation needs no CDN and no internet."""

from __future__ import annotations

from playwright.async_api import expect

DOCS_TIMEOUT_MS = 90_000  # ~400 operations to lay out: slow on a busy 2-core machine, never hung


async def test_swagger_ui_and_redoc_render_with_the_network_cut_off(browser, app_server, shared_app):
    document = shared_app.openapi()
    summary = document["paths"]["/v1/products/{imei}/enable"]["put"]["summary"]
    context = await browser.new_context(base_url=app_server.url)
    context.set_default_timeout(DOCS_TIMEOUT_MS)
    refused: list[str] = []

    async def only_the_api(route) -> None:
        if route.request.url.startswith(app_server.url):
            await route.continue_()
        else:
            refused.append(route.request.url)
            await route.abort()

    await context.route("**/*", only_the_api)
    try:
        page = await context.new_page()
        await page.goto("/docs")
        operations = page.locator(".opblock")
        await operations.first.wait_for()
        assert await operations.count() == sum(len(item) for item in document["paths"].values())
        path = page.locator('.opblock-summary-path[data-path="/v1/products/{imei}/enable"]')
        enable = page.locator(".opblock-summary", has=path).locator(".opblock-summary-description")
        await expect(enable).to_have_text(summary)
        await expect(enable).to_be_visible()

        await page.goto("/redoc")
        menu = page.locator("[role=menuitem]")
        await menu.first.wait_for()
        assert await menu.count() > 100
        await expect(page.locator("[role=menuitem]", has_text=summary).first).to_be_attached()
    finally:
        await context.close()
    assert refused == []

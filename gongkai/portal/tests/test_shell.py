"""The public site shell every page shares."""


def test_home_page_names_the_district_and_links_the_sections(client, district):
    page = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "济南市槐荫区人民政府" in page
    for label in ("政府信息公开", "政策文件", "政策解读", "依申请公开", "公开年报"):
        assert label in page
    assert "网站标识码：3701040001" in page
    assert 'href="#main"' in page and 'id="main"' in page
    assert 'name="viewport"' in page
    assert "槐荫区发展和改革局" in page  # units with their own disclosure pages


def test_elder_mode_switch_persists_across_pages(client, district):
    assert '<body class=" ' in client.get("/").content.decode()
    response = client.get("/elder/", {"elder": "1", "next": "/ysqgk/"})
    assert response.status_code == 302 and response["Location"] == "/ysqgk/"
    assert response["Cache-Control"] == "no-store, private"
    assert client.cookies["elder"].value == "1"
    assert client.cookies["elder"]["max-age"] == 365 * 24 * 3600
    page = client.get("/").content.decode()
    assert '<body class="elder' in page
    assert "退出关怀版" in page
    client.get("/elder/", {"elder": "0", "next": "/"})
    assert '<body class="elder' not in client.get("/").content.decode()


def test_elder_switch_never_redirects_off_site(client, district):
    response = client.get("/elder/", {"elder": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_elder_switch_is_a_link_so_public_pages_set_no_cookie(client, district):
    """The switch needs no form: an anonymous visitor's pages set no cookie at all, so one
    copy of each page can be published for everyone."""
    for url in ("/", "/xxgk/", "/xxgk/zcwj/", "/ysqgk/"):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, (url, response.cookies)
        assert "csrfmiddlewaretoken" not in response.content.decode() or url == "/ysqgk/"
    page = client.get("/").content.decode()
    assert 'href="/elder/?elder=1&amp;next=/"' in page
    assert client.post("/elder/", {"elder": "1"}).status_code in (403, 405)


def test_unknown_pages_get_a_chinese_404_inside_the_layout(client, district, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "返回首页" in page


def test_robots_keep_staff_and_tracking_pages_out_of_search_engines(client, district):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /staff/" in body and "Disallow: /ysqgk/track/" in body


def test_stylesheet_has_elder_mode_and_visible_focus(client, district):
    from django.contrib.staticfiles import finders

    css = open(finders.find("gongkai/site.css"), encoding="utf-8").read()
    assert "body.elder" in css and ":focus-visible" in css and "@media (max-width:600px)" in css


def test_sitemap_lists_the_public_sections(client, district):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert b"/xxgk/zcwj/" in response.content
    assert b"Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content


def test_staff_pages_of_every_app_are_kept_out_of_caches(client, district):
    response = client.get("/xxgk/staff/")
    assert "noindex" in response["X-Robots-Tag"]

from django.urls import path

from gongkai.interaction import event_views, feeds, proposal_views, staff_views, views

app_name = "interaction"

urlpatterns = [
    path("", views.home, name="home"),
    path("xx/", views.write, name="write"),
    path("wyw/", views.ask, name="ask"),
    path("cx/", views.track, name="track"),
    path("cx/pj/", views.rate, name="rate"),
    path("gk/", views.exchanges, name="exchanges"),
    path("gk/<int:pk>/", views.exchange, name="exchange"),
    path("gk/rss/", feeds.ExchangeFeed(), name="exchanges_feed"),
    path("yhd/rss/", feeds.QAFeed(), name="qa_feed"),
    path("tj/", views.statistics, name="statistics"),
    path("yhd/", views.qa_list, name="qa"),
    path("yhd/<int:pk>/", views.qa_detail, name="qa_detail"),
    path("jyta/", proposal_views.public_list, name="proposals"),
    path("jyta/<int:pk>/", proposal_views.public_detail, name="proposal"),
    path("staff/jyta/", proposal_views.staff_list, name="staff_proposals"),
    path("staff/jyta/<int:pk>/", proposal_views.staff_detail, name="staff_proposal"),
    path("ft/", event_views.public_list, name="events"),
    path("ft/<int:pk>/", event_views.public_detail, name="event"),
    path("staff/ft/", event_views.staff_list, name="staff_events"),
    path("staff/ft/<int:pk>/", event_views.staff_detail, name="staff_event"),
    path("staff/", staff_views.queue, name="staff_queue"),
    path("staff/rd/", staff_views.topic_responses, name="staff_topics"),
    path("staff/dashboard/", staff_views.dashboard, name="staff_dashboard"),
    path("staff/<int:pk>/", staff_views.detail, name="staff_detail"),
    path("staff/<int:pk>/attachment/", staff_views.attachment, name="staff_attachment"),
    path("staff/<int:pk>/route/", staff_views.route, name="staff_route"),
    path("staff/<int:pk>/send-back/", staff_views.send_back, name="staff_send_back"),
    path("staff/<int:pk>/merge/", staff_views.merge, name="staff_merge"),
    path("staff/<int:pk>/reply/", staff_views.reply, name="staff_reply"),
    path("staff/<int:pk>/review/", staff_views.review, name="staff_review"),
    path("staff/<int:pk>/publish/", staff_views.publish, name="staff_publish"),
    path("staff/<int:pk>/to-qa/", staff_views.to_qa, name="staff_to_qa"),
    path("staff/yhd/", staff_views.qa, name="staff_qa"),
    path("staff/yhd/<int:pk>/", staff_views.qa_detail, name="staff_qa_detail"),
]

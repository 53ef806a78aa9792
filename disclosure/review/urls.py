from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_, name="return"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/renditions/<int:rendition_id>/", views.rendition, name="rendition"),
]

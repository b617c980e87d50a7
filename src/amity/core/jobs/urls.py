from django.urls import path

from amity.core.jobs import views

urlpatterns = [
    path("admin/tasks/", views.task_list, name="job_list"),
    path("admin/tasks/<str:result_id>/retry/", views.task_retry, name="job_retry"),
]

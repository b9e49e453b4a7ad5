"""Pages of every list of /api/v1/: ?page=N&page_size=M, up to 1,000 rows a page."""

from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 1000


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

"""Read-only endpoints of the criteria, which are reference data: programmes and criteria sets."""

from rest_framework import viewsets

from criteria.api.serializers import CriteriaSetDetailSerializer, CriteriaSetSerializer, ProgrammeSerializer
from criteria.definitions import sets_with_contents
from criteria.filtersets import CriteriaSetFilterSet
from criteria.models import CriteriaSet, Programme


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Programme periods (2021-2025, 2026-2030), looked up by code."""

    queryset = Programme.objects.order_by("start_year", "code")
    serializer_class = ProgrammeSerializer
    lookup_field = "code"
    lookup_value_regex = "[0-9A-Za-z-]{1,20}"
    ordering_fields = ["start_year", "code"]


class CriteriaSetViewSet(viewsets.ReadOnlyModelViewSet):
    """Criteria sets, looked up by id (a code repeats across programmes and provinces); the detail carries every
    criterion, indicator, measure and threshold, each threshold with its source and whether it was verified.

    As on the criteria pages, every signed-in user reads every set, national or provincial, draft or published:
    `?status=published` leaves out the drafts, `?national=true` the provinces' versions."""

    filterset_class = CriteriaSetFilterSet
    ordering_fields = ["rank", "code", "province_code"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        sets = CriteriaSet.objects.select_related("programme").order_by(
            "programme__start_year", "level", "rank", "province_code", "code", "pk"
        )
        # The detail's contents in three more queries, whatever the size of the set.
        return sets_with_contents(sets) if self.action == "retrieve" else sets

    def get_serializer_class(self):
        return CriteriaSetDetailSerializer if self.action == "retrieve" else CriteriaSetSerializer

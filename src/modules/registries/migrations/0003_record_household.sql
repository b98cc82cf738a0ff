-- The members of a household (주민등록표 등본: the household view of the resident registry,
-- household-view.ts) are found by the householdId field: an index on it, so that the view is
-- one index scan however many residents there are. Only records that have the field are in it.
create index record_household on registries.record (registry_id, (data ->> 'householdId'))
  where data ->> 'householdId' is not null;

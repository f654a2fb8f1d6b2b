"""RTC units: the broker topology, the wire format, MT/MO histories, online status and dead letters."""

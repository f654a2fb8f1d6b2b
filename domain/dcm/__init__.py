"""DCM (Device Credit Management): payment commands, their rules, the unit's balance and final balance."""

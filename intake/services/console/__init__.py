"""What staff do in the console: triage, accounts, deputies and stations, roster, codes, audit log, exports."""

"""The analysis graph's four agents: analyst (risk and drivers), reasoning (why, in words),
campaign designer (the offer worth its cost) and communication writer (email, SMS, call script).

Each is a plain function of the state and the runtime returning a partial update. They may
import every other package in `agents` except `chat`.
"""

UNIT_TESTS += rcu
rcu_SRCS := tests/unit/rcu.c tests/unit/death_host.c mm/rcu.c
rcu_TSAN := 1

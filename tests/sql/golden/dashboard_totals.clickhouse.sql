SELECT coalesce(sumOrNull("f"."n_play"), 0) AS "count_plays",
       (coalesce(sumOrNull("f"."quartile_play_time"), 0) / 60.0e0) AS "sum_time_viewed",
       coalesce(((coalesce(sumOrNull("f"."quartile_play_time"), 0) / 60.0e0) / nullIf(coalesce(sumOrNull("f"."n_play"), 0), 0)), 0.0e0) AS "avg_time_viewed",
       uniqExact("f"."user_id") AS "unique_known_users",
       least(coalesce((coalesce(sumOrNull("f"."new_percentiles"), 0) / nullIf(coalesce(sumOrNull("f"."n_play"), 0), 0)), 0.0e0), 100.0e0) AS "avg_completion_rate",
       least(coalesce(bitCount(groupBitOrIfOrNull("f"."coverage", ("f"."playback_type" = 'vod'))), 0), 100) AS "total_completion_rate"
FROM "player_facts" AS "f"
WHERE ("f"."partner_id" IN (101))

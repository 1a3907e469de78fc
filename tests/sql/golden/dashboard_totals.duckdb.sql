SELECT coalesce(sum("f"."n_play"), 0) AS "count_plays",
       (coalesce(sum("f"."quartile_play_time"), 0) / 60.0e0) AS "sum_time_viewed",
       coalesce(((coalesce(sum("f"."quartile_play_time"), 0) / 60.0e0) / nullif(coalesce(sum("f"."n_play"), 0), 0)), 0.0e0) AS "avg_time_viewed",
       count(DISTINCT "f"."user_id") AS "unique_known_users",
       least(coalesce((coalesce(sum("f"."new_percentiles"), 0) / nullif(coalesce(sum("f"."n_play"), 0), 0)), 0.0e0), 100.0e0) AS "avg_completion_rate",
       least(coalesce(bit_count(bit_or("f"."coverage") FILTER (WHERE ("f"."playback_type" = 'vod'))), 0), 100) AS "total_completion_rate"
FROM "player_facts" AS "f"
WHERE ("f"."partner_id" IN (101))

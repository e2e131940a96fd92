-- The event time of each review item's prediction, which is the partition key of prediction.
-- Review actions and item queries name it next to prediction_pk, so PostgreSQL reads only the
-- partition that contains the prediction instead of probing the primary key of every partition.
-- It stays NULL for an item whose prediction retention has already dropped.
ALTER TABLE review_item ADD COLUMN prediction_event_time timestamptz;

UPDATE review_item r SET prediction_event_time = p.event_time
    FROM prediction p
    WHERE p.id = r.prediction_pk;

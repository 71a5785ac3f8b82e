-- The language a user chose with the header's switch (issue 11, Welsh). NULL: not chosen, so the language cookie or
-- the browser's Accept-Language decides.
ALTER TABLE app_user ADD COLUMN language text CHECK (language IN ('en', 'cy'));
